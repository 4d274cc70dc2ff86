#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and plays a script of keystrokes, each sent once the screen shows
the text it waits for. Prints everything the terminal showed (ANSI stripped) and exits with the command's
exit code; 124 when a wait or the whole run times out (the command is killed, never left hanging).

usage: pty-drive.py SCRIPT_JSON -- command args...
SCRIPT_JSON: {"timeout": seconds, "steps": [{"expect": "text", "send": "keys"}, ...]}
"""
import json, os, pty, re, select, signal, sys, time

ANSI = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r')

def main():
    sep = sys.argv.index('--')
    script = json.loads(sys.argv[1])
    argv = sys.argv[sep + 1:]
    deadline = time.monotonic() + float(script.get('timeout', 20))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    seen = ''      # everything shown, ANSI stripped
    cursor = 0     # where the next expect starts looking
    code = None

    def pump(until):
        nonlocal seen
        while time.monotonic() < until:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    return False
                if not data:
                    return False
                seen += ANSI.sub('', data.decode('utf-8', 'replace'))
                return True
        return True

    def finish(status):
        sys.stdout.write(seen)
        sys.stdout.flush()
        os._exit(status)

    for step in script['steps']:
        want = step.get('expect')
        while want is not None and want not in seen[cursor:]:
            if time.monotonic() > deadline or not pump(deadline):
                if want not in seen[cursor:]:
                    sys.stderr.write('pty-drive: timed out waiting for %r\n' % want)
                    os.kill(pid, signal.SIGKILL)
                    finish(124)
        if want is not None:
            cursor = seen.index(want, cursor) + len(want)
        time.sleep(step.get('delay', 0.05))
        os.write(fd, step['send'].encode())
    # Drain the output until the command exits (EOF on the terminal comes first, then its status).
    open_ = True
    while time.monotonic() < deadline:
        if open_:
            open_ = pump(time.monotonic() + 0.1)
        else:
            time.sleep(0.02)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            if open_:
                pump(time.monotonic() + 0.2)
            code = os.waitstatus_to_exitcode(status)
            break
    if code is None:
        sys.stderr.write('pty-drive: the command did not exit in time\n')
        os.kill(pid, signal.SIGKILL)
        finish(124)
    finish(code if code >= 0 else 128 - code)

main()
