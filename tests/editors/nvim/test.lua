-- Headless Neovim (0.7+) end-to-end test of the nianbao language server, started through
-- the user-facing config editors/neovim/nianbao.lua (vim.lsp.start_client on 0.7,
-- vim.lsp.start on 0.8+). Run by tests/editors/nvim/run.sh, one case per nvim process.
--
-- Env: NB_CASE (open_txt | edit_txt | markdown_reuse), NB_BIN (server binary), NB_CONFIG
-- (editors/neovim/nianbao.lua), NB_FIXTURE (sample 000), NB_TMP (scratch dir), NB_OUT
-- (result file, one JSON object), NB_TIMEOUT_MS (default 20000).
-- Exit (:cquit): 0 pass, 1 fail.
local env = vim.env
local t0 = vim.loop.hrtime()
local timeout = tonumber(env.NB_TIMEOUT_MS or '20000')
local failures, warnings, notes = {}, {}, {}

local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
local function log(msg) io.stderr:write(string.format('[nvim %s %5d ms] %s\n', env.NB_CASE, ms(), msg)) end
local function fail(msg) table.insert(failures, msg); log('FAIL: ' .. msg) end
local function check(cond, msg) if not cond then fail(msg) end; return cond end

-- Diagnostics of a buffer in LSP terms: 0-based lines, UTF-16 columns (converted back from
-- the byte columns vim.diagnostic stores), keeping the raw byte columns too.
local function lsp_diags(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local function u16(lnum, col)
      local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] or ''
      if col > #line then col = #line end
      local _, n = vim.str_utfindex(line, col)
      return n
    end
    local el, ec = d.end_lnum or d.lnum, d.end_col or d.col
    table.insert(out, {
      code = d.code, severity = d.severity, source = d.source, message = d.message,
      range = { d.lnum, u16(d.lnum, d.col), el, u16(el, ec) },
      bytes = { d.lnum, d.col, el, ec },
    })
  end
  return out
end

local function find(diags, code)
  local found = {}
  for _, d in ipairs(diags) do if d.code == code then table.insert(found, d) end end
  return found
end

local function fmt(r) return string.format('%d:%d-%d:%d', r[1], r[2], r[3], r[4]) end

-- Asserts exactly one diagnostic `code` with this severity, UTF-16 range and byte range,
-- and (optionally) that the range covers `text`.
local function expect(buf, diags, code, severity, range, bytes, text)
  local ds = find(diags, code)
  if not check(#ds == 1, string.format('%s: expected 1 diagnostic, got %d', code, #ds)) then return end
  local d = ds[1]
  check(d.severity == severity, string.format('%s: severity %s, expected %d', code, tostring(d.severity), severity))
  check(fmt(d.range) == fmt(range), string.format('%s: UTF-16 range %s, expected %s', code, fmt(d.range), fmt(range)))
  check(fmt(d.bytes) == fmt(bytes), string.format('%s: byte range %s, expected %s', code, fmt(d.bytes), fmt(bytes)))
  if text then
    local got = table.concat(vim.api.nvim_buf_get_text(buf, d.bytes[1], d.bytes[2], d.bytes[3], d.bytes[4], {}), '\n')
    check(got == text, string.format('%s: range covers %q, expected %q', code, got, text))
  end
end

local function wait_for(what, pred)
  local ok = vim.wait(timeout, pred, 20)
  if not ok then fail('timed out after ' .. timeout .. ' ms waiting for ' .. what) end
  return ok
end

-- Clients attached to a buffer (0.7 and 0.10+ spellings).
local function buf_clients(buf)
  local list = {}
  local found = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
  for _, c in pairs(found) do table.insert(list, c) end
  return list
end
local function all_clients()
  return vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
end

local function common_checks(diags)
  for _, d in ipairs(diags) do
    check(d.source == 'nianbao', 'source ' .. tostring(d.source) .. ' for ' .. tostring(d.code))
    check(type(d.code) == 'string' and d.code:match('^NB%d%d%d$') ~= nil, 'code ' .. tostring(d.code))
    check(d.severity >= 1 and d.severity <= 4, 'severity ' .. tostring(d.severity))
  end
end

local config = dofile(env.NB_CONFIG)
local server_cmd = { env.NB_BIN, 'server' }
local final_diags = {}

local cases = {}

-- Open the sample: the config's FileType autocmd starts the server; default settings.
function cases.open_txt()
  config.setup({ cmd = server_cmd })
  vim.cmd('edit ' .. vim.fn.fnameescape(env.NB_FIXTURE))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'text', 'filetype ' .. vim.bo[buf].filetype)
  if not wait_for('diagnostics', function() return #vim.diagnostic.get(buf) > 0 end) then return end
  local clients = buf_clients(buf) -- (0.7 lists a client only once it is initialized)
  check(#clients == 1 and clients[1].name == 'nianbao', 'expected the nianbao client attached, got ' .. #clients)
  table.insert(notes, 'first diagnostics after ' .. ms() .. ' ms')
  vim.wait(300, function() return false end, 20) -- let late publishes land
  local diags = lsp_diags(buf)
  final_diags = diags
  common_checks(diags)
  -- Missing part 六: an error at the last character of the document.
  expect(buf, diags, 'NB101', 1, { 313, 9, 313, 10 }, { 313, 13, 313, 16 }, '日')
  -- Heading 四 differs from the prescribed one: info on the heading text after "四、".
  expect(buf, diags, 'NB104', 3, { 271, 2, 271, 9 }, { 271, 6, 271, 27 }, '復議和訴訟情況')
  -- Mojibake far into a long line (591 UTF-16 units = 1683 bytes).
  expect(buf, diags, 'NB501', 2, { 2, 591, 2, 598 }, { 2, 1683, 2, 1700 }, nil)
  check(#find(diags, 'NB108') == 1, 'NB108 (no title) missing')
  check(#find(diags, 'NB111') == 1, 'NB111 (2019 table format) missing')
end

-- Settings from the config reach the server; incremental edits (a surrogate pair) keep
-- positions right; completing the report clears NB101.
function cases.edit_txt()
  config.setup({ cmd = server_cmd, settings = { debounceMs = 20, severity = { NB104 = 'warning' } } })
  vim.cmd('edit ' .. vim.fn.fnameescape(env.NB_FIXTURE))
  local buf = vim.api.nvim_get_current_buf()
  if not wait_for('diagnostics', function() return #vim.diagnostic.get(buf) > 0 end) then return end
  local diags = lsp_diags(buf)
  expect(buf, diags, 'NB104', 2, { 271, 2, 271, 9 }, { 271, 6, 271, 27 }, '復議和訴訟情況')
  -- An emoji (4 bytes, 2 UTF-16 units, 1 code point) before the NB501 range.
  vim.api.nvim_buf_set_text(buf, 2, 0, 2, 0, { '😀' })
  check(wait_for('NB501 to move by 2 UTF-16 units', function()
    local d = find(lsp_diags(buf), 'NB501')[1]
    return d ~= nil and d.range[2] == 593
  end), 'NB501 did not move')
  -- Add the missing part 六 at the end.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { '六、其他需要报告的事项', '本机关无其他需要报告的事项。' })
  wait_for('NB101 to go away', function() return #find(lsp_diags(buf), 'NB101') == 0 end)
  vim.wait(300, function() return false end, 20)
  diags = lsp_diags(buf)
  final_diags = diags
  common_checks(diags)
  check(#find(diags, 'NB101') == 0, 'NB101 still reported after adding part 六')
  expect(buf, diags, 'NB501', 2, { 2, 593, 2, 600 }, { 2, 1687, 2, 1704 }, nil)
  expect(buf, diags, 'NB104', 2, { 271, 2, 271, 9 }, { 271, 6, 271, 27 }, '復議和訴訟情況')
end

-- A Markdown report and a text report in the same folder share one server.
function cases.markdown_reuse()
  config.setup({ cmd = server_cmd })
  local dir = env.NB_TMP .. '/reports'
  vim.fn.mkdir(dir, 'p')
  local md = dir .. '/report.md'
  local src = vim.fn.readfile(env.NB_FIXTURE, 'b')
  vim.fn.writefile(src, md, 'b')
  vim.fn.writefile(src, dir .. '/other.txt', 'b')
  vim.fn.writefile({}, dir .. '/nianbao.toml') -- a root marker
  vim.cmd('edit ' .. vim.fn.fnameescape(md))
  local b1 = vim.api.nvim_get_current_buf()
  check(vim.bo[b1].filetype == 'markdown', 'filetype ' .. vim.bo[b1].filetype)
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/other.txt'))
  local b2 = vim.api.nvim_get_current_buf()
  wait_for('diagnostics in both buffers', function()
    return #vim.diagnostic.get(b1) > 0 and #vim.diagnostic.get(b2) > 0
  end)
  local c1, c2 = buf_clients(b1), buf_clients(b2)
  check(#c1 == 1 and #c2 == 1 and c1[1].id == c2[1].id, 'expected one shared client for both buffers')
  check(#c1 == 1 and c1[1].config.root_dir == dir, 'root_dir ' .. tostring(c1[1] and c1[1].config.root_dir) .. ', expected ' .. dir)
  local d1, d2 = lsp_diags(b1), lsp_diags(b2)
  final_diags = d1
  common_checks(d1)
  expect(b1, d1, 'NB101', 1, { 313, 9, 313, 10 }, { 313, 13, 313, 16 }, '日')
  expect(b2, d2, 'NB104', 3, { 271, 2, 271, 9 }, { 271, 6, 271, 27 }, '復議和訴訟情況')
end

local case = cases[env.NB_CASE or '']
if not case then
  fail('unknown case ' .. tostring(env.NB_CASE))
else
  local ok, err = pcall(case)
  if not ok then fail('error: ' .. tostring(err)) end
end

-- Stop every client the way an editor does (shutdown, then exit) and check the servers end.
local pids = {}
for _, c in pairs(all_clients()) do
  table.insert(pids, c.rpc and c.rpc.pid)
end
local t_stop = vim.loop.hrtime()
vim.lsp.stop_client(all_clients())
local stopped = vim.wait(2000, function() return #all_clients() == 0 end, 20)
if not stopped then
  table.insert(warnings, string.format('server did not exit within 2 s of shutdown+exit (stdin still open); SIGTERM sent'))
  for _, pid in ipairs(pids) do if pid then vim.loop.kill(pid, 15) end end
  vim.wait(2000, function() return #all_clients() == 0 end, 20)
else
  table.insert(notes, string.format('servers exited %d ms after shutdown', (vim.loop.hrtime() - t_stop) / 1e6))
end

local f = assert(io.open(env.NB_OUT, 'w'))
f:write(vim.json.encode({
  case = env.NB_CASE, ok = #failures == 0, ms = ms(), nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch,
  failures = failures, warnings = warnings, notes = notes, diagnostics = final_diags,
}) .. '\n')
f:close()
vim.cmd(#failures == 0 and 'qall!' or 'cquit! 1')
