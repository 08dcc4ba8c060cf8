-- nianbao as a custom server for nvim-lspconfig (the plugin's `configs` API, for
-- nvim-lspconfig versions that still have it: Neovim 0.7–0.10 era; on Neovim 0.11+ prefer
-- lsp/nianbao.lua with vim.lsp.enable, see README.md).
--
-- Install: have nvim-lspconfig, copy this file to ~/.config/nvim/lua/nianbao_lspconfig.lua,
-- then in init.lua:
--
--   require('nianbao_lspconfig').setup({
--     -- any lspconfig setup() option; nianbao.* settings go under settings.nianbao:
--     settings = { nianbao = { severity = { NB104 = 'warning' } } },
--   })
--
-- NOT TESTED against a real nvim-lspconfig (it is no Debian package and the test machines
-- have no network): only loaded against a small stand-in of its API (see README.md).
local M = {}

function M.setup(opts)
  local lspconfig = require('lspconfig')
  local configs = require('lspconfig.configs')
  local util = require('lspconfig.util')
  if not configs.nianbao then
    configs.nianbao = {
      default_config = {
        cmd = { 'nianbao', 'server' },
        filetypes = { 'text', 'markdown' },
        root_dir = function(fname)
          return util.root_pattern('nianbao.toml', '.git')(fname)
            or vim.fn.fnamemodify(fname, ':p:h')
        end,
        single_file_support = true,
        settings = { nianbao = {} },
        -- The server reads initializationOptions at start and workspace/didChangeConfiguration
        -- later; both get the same {nianbao = {...}} object.
        on_new_config = function(new_config)
          new_config.init_options = new_config.settings
        end,
      },
      docs = {
        description = [[
nianbao: linter for Chinese government information-disclosure annual reports
(政府信息公开工作年度报告). `nianbao server` speaks LSP over stdio.
]],
      },
    }
  end
  lspconfig.nianbao.setup(opts or {})
end

return M
