#!/usr/bin/env python3
"""Runs a throwaway Radicale CalDAV server on 127.0.0.1 for the tests.

    radicale_serve.py FOLDER USER PASSWORD-ENV

Storage and a plain htpasswd file live in FOLDER. Prints the port once the server
answers, then runs until standard input closes or SIGTERM comes (the test ends) and stops it.
"""
import ctypes, os, signal, socket, subprocess, sys, time

# SIGTERM from the test ends the script through `finally`, which stops Radicale too.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

folder, user, password_env = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(folder, exist_ok=True)
users = os.path.join(folder, "users")
with open(users, "w") as f:
    f.write(f"{user}:{os.environ[password_env]}\n")

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]



def die_with_this_script():
    """Runs in Radicale's process before exec: the kernel kills it when this script ends by
    any means, also SIGKILL, which skips the `finally` below (an interrupted test run used
    to leave Radicale running). PR_SET_PDEATHSIG is 1 in <linux/prctl.h>."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


server = subprocess.Popen(
    [sys.executable, "-m", "radicale",
     "--server-hosts", f"127.0.0.1:{port}",
     "--storage-filesystem-folder", os.path.join(folder, "collections"),
     "--auth-type", "htpasswd", "--auth-htpasswd-filename", users,
     "--auth-htpasswd-encryption", "plain",
     "--rights-type", "owner_only", "--logging-level", "warning"],
    start_new_session=True, preexec_fn=die_with_this_script, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "radicale.log"), "w"))
try:
    for _ in range(200):
        if server.poll() is not None:
            sys.exit(f"radicale exited with {server.returncode}; see {folder}/radicale.log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit("radicale did not start listening")
    print(port, flush=True)
    sys.stdin.read()
finally:
    # A second SIGTERM must not cut this cleanup short (Radicale would be left running).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Radicale may not stop on SIGTERM: give it 3 s, then kill its whole process group.
    server.terminate()
    try:
        server.wait(timeout=3)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except OSError:
        pass
    server.wait()
