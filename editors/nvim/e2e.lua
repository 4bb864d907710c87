-- The Neovim end-to-end test (lsp/tests/it/neovim.rs runs
-- `nvim --headless --clean -u <init.lua> -c 'luafile editors/nvim/e2e.lua'`, where init.lua is the
-- set-up the README gives, copied from it, and `onshi` on PATH is the binary under test). Works
-- with Neovim 0.7 (Debian 12) and later.
--
-- It opens the policy $ONSHI_POLICY (the README's set-up starts `onshi lsp` for it through
-- Neovim's own LSP client), introduces a typo ("申請期限" → "申請期現" in the 申請可 rule), and
-- writes what Neovim received to $ONSHI_OUT as JSON: the diagnostics, the hover text on an input,
-- the definition target of a type declared in an imported file, and the edits of a rename; then
-- it appends an output with a rule conflict and waits for the proofs' finding. The buffer is never
-- written.

local out = {}
local function finish()
  local f = io.open(os.getenv('ONSHI_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  out.version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' ..
      tostring(vim.version().patch)
  local policy = os.getenv('ONSHI_POLICY')
  vim.cmd('edit ' .. vim.fn.fnameescape(policy))
  local buf = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[buf].filetype
  -- The client the README's set-up attached to the buffer.
  local client
  out.attached = vim.wait(10000, function()
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do client = c end
    return client ~= nil
  end, 20)
  if not client then error('no LSP client attached to the buffer by the README set-up') end
  out.started = vim.wait(10000, function() return client.initialized == true end, 20) or
      vim.wait(10000, function() return not client.is_stopped() end, 20)
  out.root_dir = client.config.root_dir
  out.cmd = client.config.cmd
  out.encoding = client.offset_encoding

  -- Find a text in the buffer: 0-based line and byte column.
  local function find(text)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local col = line:find(text, 1, true)
      if col then return i - 1, col - 1 end
    end
  end

  -- Ask at the given byte position (the client turns it into UTF-16).
  local function ask(method, line, col)
    vim.api.nvim_win_set_cursor(0, { line + 1, col })
    local params = vim.lsp.util.make_position_params()
    local res = client.request_sync(method, params, 10000, buf)
    return res and res.result
  end

  -- Hover on the input 施設種別 (after `入力 `), definition of its type (from common/).
  local l, c = find('入力 施設種別')
  local hover = ask('textDocument/hover', l, c + #'入力 ')
  out.hover = hover and hover.contents and hover.contents.value
  local dl, dc = find('施設種別: 保険医療機関種別')
  local def = ask('textDocument/definition', dl, dc + #'施設種別: ')
  if def and def.uri == nil and def[1] then def = def[1] end
  out.definition = def

  -- Rename from a use site (the input 施設種別's type): the edits reach the declaring file and
  -- the other policies that import it, which are not open.
  local rl, rc = find('施設種別: 保険医療機関種別')
  vim.api.nvim_win_set_cursor(0, { rl + 1, rc + #'施設種別: ' })
  local rparams = vim.lsp.util.make_position_params()
  local prep = client.request_sync('textDocument/prepareRename', rparams, 10000, buf)
  out.prepare = prep and prep.result
  rparams.newName = '医療機関の種別'
  local ren = client.request_sync('textDocument/rename', rparams, 30000, buf)
  out.rename_files = {}
  for uri, _ in pairs((ren and ren.result and ren.result.changes) or {}) do
    table.insert(out.rename_files, uri)
  end
  table.sort(out.rename_files)
  -- The same rename as a user does it (`:lua vim.lsp.buf.rename('…')`: prepareRename, then the
  -- edits applied to buffers, the files not open loaded for it; nothing is written).
  vim.api.nvim_win_set_cursor(0, { rl + 1, rc + #'施設種別: ' })
  vim.lsp.buf.rename('医療機関の種別')
  local function renamed()
    local names = {}
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) then
        local text = table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n')
        if text:find('医療機関の種別', 1, true) then
          table.insert(names, vim.api.nvim_buf_get_name(b))
        end
      end
    end
    table.sort(names)
    return names
  end
  vim.wait(30000, function() return #renamed() >= #out.rename_files end, 50)
  out.renamed_buffers = renamed()
  -- Every file renamed: the buffer is clean again.
  vim.wait(500)
  out.clean_after_rename = vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20)

  -- The typo: wait for the diagnostics Neovim shows for it.
  local tl, tc = find('申請日 <= 申請期限')
  tc = tc + #'申請日 <= '
  out.typo_line, out.typo_col = tl, tc
  vim.api.nvim_buf_set_text(buf, tl, tc, tl, tc + #'申請期限', { '申請期現' })
  -- (Only the typo's: Neovim sends each buffer's changes after its own short delay, so the
  -- diagnostics of a moment when the rename had reached some files and not others may come first.)
  out.got_diagnostics = vim.wait(15000, function()
    local ds = vim.diagnostic.get(buf)
    for _, d in ipairs(ds) do
      if d.lnum ~= tl then return false end
    end
    return #ds > 0
  end, 20)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
      severity = d.severity,
    })
  end

  -- The proofs: the typo taken back, then an output whose two exceptions some facts make both
  -- apply, appended; after the fast diagnostics the server proves the policy off the keystroke
  -- path and publishes onshi::proof::conflict with both rules' spans.
  vim.api.nvim_buf_set_text(buf, tl, tc, tl, tc + #'申請期現', { '申請期限' })
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, {
    '出力 衝突の確認: 整数',
    '  原則 基本: 1',
    '  例外 年内: もし 申請日 <= 令和8年1月15日 ならば 2',
    '  例外 年明け: もし 申請日 >= 令和8年1月1日 ならば 3',
  })
  out.conflict_line = last + 2
  local function conflict()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = d.user_data and d.user_data.lsp or {}
      if (d.code or lsp.code) == 'onshi::proof::conflict' then return d, lsp end
    end
  end
  out.got_proof = vim.wait(60000, function() return conflict() ~= nil end, 50)
  local d, lsp = conflict()
  if d then
    local related = {}
    for _, r in ipairs(lsp.relatedInformation or {}) do
      table.insert(related, { line = r.location.range.start.line, message = r.message })
    end
    out.proof = { lnum = d.lnum, severity = d.severity, message = d.message, related = related }
  end
end)
if not ok then out.error = tostring(err) end
finish()
