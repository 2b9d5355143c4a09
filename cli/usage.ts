/** A mistake in how the CLI was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `switchboard — an MCP-native hub where everything is a tool

Usage:
  switchboard serve [--http | --stdio [--profile NAME] [--tools GLOBS]] [--port N] [--host H] [--config FILE] [--drain-ms N]
      Run the hub: Streamable HTTP at /mcp (default, port 7700; /mcp/<profile> per profile) or stdio
      for Claude Desktop; --profile / --tools fs__*,agent__* pick the tools the client sees.
      On SIGTERM/Ctrl-C calls in flight get N ms (default 10000, or SWITCHBOARD_DRAIN_MS) to finish.
  switchboard up [--config FILE] [--port N] [--host H] [--drain-ms N]
      Run the hub and every configured server as processes on this machine (defaults: fs, shell and
      rag over ./work, tasks and audit in SQLite under ./data); prints where each listens; Ctrl-C stops all.
  switchboard backup [--config FILE] [--out DIR]
      Copy the embedded SQLite stores (tasks, audit, rag) while the hub runs, with a manifest.
  switchboard restore DIR [--config FILE]   Put a backup back (the hub must be stopped)
  switchboard server <name> [flags]    Run one MCP server alone (servers: SERVERS)
  switchboard run "<task>" [--playbook P] [--context JSON|@FILE] [--yes] [--json] [--config FILE]
      Plan the task into role-agent steps, run them with live progress on stderr, print the report
      (exit 0 succeeded, 1 failed, 3 waiting for approval; --yes approves). --role R: one agent call.
  switchboard tools [--config FILE] [--profile NAME] [--json]
      List the hub's tools (or a profile's); rewritten names show the upstream's own name
  switchboard roles [--config FILE] [--json]   List roles and the tools each may call
  switchboard test-server [--port N] [--hub URL] [--cases DIR]   Run the case runner service
  switchboard audit [--config FILE] [--principal P] [--role R] [--tool GLOB] [--outcome O]
                    [--since 1h|DATE] [--until 1h|DATE] [--correlation ID] [--limit N] [--json]
      Query the audit log (newest first); outcomes: ok, error, denied, rate_limited, unfinished.
  switchboard apikey [--id ID] [--role ROLE]   Make an API key; prints it and its config entry
  switchboard status [--url URL | --config FILE] [--json]
      Ask a running hub how each upstream is doing (state, breaker, restarts); exit 1 if not ready.
  switchboard pins [list | approve TOOL... | approve --all] [--config FILE]
      Tools whose description or schema changed since approval (blocked with pinTools), and approving them.

Config: --config FILE, else ./switchboard.yaml, else embedded defaults (fs server over ./work).`;
