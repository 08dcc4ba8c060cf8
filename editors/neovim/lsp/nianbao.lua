-- nianbao for Neovim 0.11+ native configs: copy to ~/.config/nvim/lsp/nianbao.lua and call
-- vim.lsp.enable('nianbao') in init.lua. NOT TESTED (the test machines have Neovim 0.7).
return {
  cmd = { 'nianbao', 'server' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'nianbao.toml', '.git' },
  -- nianbao.* settings; the server reads them from initializationOptions at start and from
  -- workspace/didChangeConfiguration later, so keep both the same.
  settings = { nianbao = {} },
  init_options = { nianbao = {} },
}
