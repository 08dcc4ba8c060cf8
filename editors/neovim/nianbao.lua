-- nianbao language server for Neovim, without plugins (no nvim-lspconfig needed).
--
-- Works on Neovim 0.7 (vim.lsp.start_client + buf_attach_client) and 0.8+ (vim.lsp.start).
-- Starts one `nianbao server` per project root for every buffer whose filetype is
-- `text` or `markdown`, and reuses it for the other buffers under the same root.
--
-- Install: copy this file to ~/.config/nvim/lua/nianbao.lua, then in init.lua:
--
--   require('nianbao').setup({
--     cmd = { 'nianbao', 'server' },            -- or an absolute path to the binary
--     settings = { severity = { NB104 = 'warning' }, debounceMs = 150 },  -- nianbao.* settings
--   })
--
-- (Or `dofile('/path/to/nianbao.lua').setup({...})` without copying.)
-- Options (all optional):
--   cmd          server argv                          default { 'nianbao', 'server' }
--   filetypes    buffers to start it for              default { 'text', 'markdown' }
--   root_markers nearest directory holding one of these is the root
--                (else the file's directory)         default { 'nianbao.toml', '.git' }
--   settings     the `nianbao.*` settings: enable, run ('onType'|'onSave'), debounceMs,
--                blankAsZero, include (globs), severity ({code = level|'off'}), disable
--   on_attach, capabilities, handlers               passed to the client as usual
--   name         client name                          default 'nianbao'
local M = {}

M.defaults = {
  name = 'nianbao',
  cmd = { 'nianbao', 'server' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'nianbao.toml', '.git' },
  settings = {},
}

M.options = vim.deepcopy(M.defaults)

local uv = vim.loop
M._clients = {} -- Neovim 0.7 only: client id by name and root

--- The nearest ancestor directory of `path` that holds one of `markers`, else its directory.
function M.root_dir(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local cur = dir
  while cur and cur ~= '' do
    for _, m in ipairs(markers or {}) do
      if uv.fs_stat(cur .. '/' .. m) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ':h')
    if parent == cur then
      break
    end
    cur = parent
  end
  return dir
end

--- The client configuration for a buffer.
function M.config_for(bufnr, opts)
  opts = opts or M.options
  local fname = vim.api.nvim_buf_get_name(bufnr)
  local root = M.root_dir(fname, opts.root_markers)
  -- The server reads its settings from initializationOptions and
  -- workspace/didChangeConfiguration; both carry {nianbao = {...}}.
  local settings = { nianbao = vim.deepcopy(opts.settings or {}) }
  return {
    name = opts.name,
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = settings,
    settings = settings,
    capabilities = opts.capabilities,
    handlers = opts.handlers,
    on_attach = opts.on_attach,
  }
end

--- Starts (or reuses) the server for `bufnr` and attaches it. Returns the client id.
function M.start(bufnr, opts)
  opts = opts or M.options
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.api.nvim_buf_get_name(bufnr) == '' or vim.bo[bufnr].buftype ~= '' then
    return nil -- unnamed or special buffers have no file URI
  end
  local config = M.config_for(bufnr, opts)
  if vim.lsp.start then
    -- Neovim 0.8+: reuses a running client with the same name and root_dir. (0.8 attaches
    -- the current buffer and ignores opts.bufnr, hence nvim_buf_call.)
    return vim.api.nvim_buf_call(bufnr, function()
      return vim.lsp.start(config, { bufnr = bufnr })
    end)
  end
  -- Neovim 0.7: reuse the client started for this root (get_client_by_id also finds one
  -- that is still initializing, which get_active_clients() does not list), else start one.
  local key = config.name .. '\0' .. config.root_dir
  local id = M._clients[key]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    M._clients[key] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Registers the FileType autocmd (and attaches buffers that are already open).
function M.setup(user)
  local opts = vim.deepcopy(M.defaults)
  for k, v in pairs(user or {}) do
    opts[k] = v -- whole values: a shorter `cmd` must not keep the default's tail
  end
  M.options = opts
  local group = vim.api.nvim_create_augroup('nianbao_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    desc = 'Start the nianbao language server',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(opts.filetypes, vim.bo[buf].filetype) then
      M.start(buf, opts)
    end
  end
  return M
end

return M
