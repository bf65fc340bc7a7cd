#!/usr/bin/env python3
"""tests/deploy/machine.py PLAN.json - one run of a fake machine.

Started by deploy.py as PID 1 of fresh mount, PID and network namespaces:
  unshare --mount --pid --net --fork --mount-proc python3 machine.py PLAN.json
It brings up the private loopback, builds the machine's root from the plan
(host directories bound read-only, the machine's writable directories from
the test's scratch space), starts the AWS stub (and the fake Jupyter server
when asked) on 127.0.0.1 inside the namespace, then runs each step chrooted
as the step's user under a hang guard (timeout), and writes the results.
When it exits, the PID namespace ends and every process left in it (the
Studio refresh loop, nohup'd installs) is killed by the kernel.

Standard library only. Never binds anything but 127.0.0.1.
"""
import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.request


def sh(*argv):
    subprocess.run(argv, check=True)


def mount_root(plan):
    root = plan["root"]
    sh("mount", "--make-rprivate", "/")
    def ro(src, dst):
        target = os.path.join(root, dst)
        sh("mount", "--bind", src, target)
        sh("mount", "-o", "remount,bind,ro", target)

    ro_binds = plan.get("binds_ro", [])
    # /usr first, then the writable /usr/local over it, then what lives in /usr/local
    for src, dst in ro_binds:
        if not dst.startswith("usr/local/"):
            ro(src, dst)
    for src, dst in plan.get("binds_rw", []):
        sh("mount", "--bind", src, os.path.join(root, dst))
    for src, dst in ro_binds:
        if dst.startswith("usr/local/"):
            ro(src, dst)
    for src, dst in plan.get("rbinds", []):
        sh("mount", "--rbind", src, os.path.join(root, dst))
    sh("mount", "-t", "proc", "proc", os.path.join(root, "proc"))


SNAPSHOT_TOPS = ("etc", "home", "opt", "var", "root", "usr/local")
SNAPSHOT_SKIP = ("/var/tmp/sgc-deploy", "/var/lib/sudo", "/var/log/sudo", "/root/.pyenv", "/var/tmp",
                 "/etc/sgc-deploy/aws.conf", "/var/cache", "/root/build", "/opt/sgc-deploy")
TOKEN_RE = re.compile(r"eyJ2ZXIiOjEsImlzdSI6\d{4}\.[A-Za-z0-9_-]+")


def snapshot(tops):
    """path -> [type, mode, uid, gid, digest] of what a start could change, with
    CodeArtifact tokens normalised; logs (*.log) count by existence only.
    tops: [(host directory, path inside the machine)]."""
    snap = {}
    for host, inside in tops:
        _walk(host, inside, snap)
    return snap


def _walk(host, inside, snap):
    if any(inside == s or inside.startswith(s + "/") for s in SNAPSHOT_SKIP):
        return
    try:
        st = os.lstat(host)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        snap[inside] = ["dir", oct(st.st_mode & 0o7777), st.st_uid, st.st_gid, None]
        for n in sorted(os.listdir(host)):
            if os.path.ismount(os.path.join(host, n)) and inside + "/" + n != "/usr/local":
                continue
            _walk(os.path.join(host, n), f"{inside}/{n}", snap)
        return
    content = None
    kind = "other"
    if stat.S_ISREG(st.st_mode):
        kind = "file"
        if not inside.endswith(".log") and st.st_size < 1 << 20:
            with open(host, "rb") as f:
                data = f.read().decode(errors="replace")
            content = hashlib.sha256(TOKEN_RE.sub("TOKEN", data).encode()).hexdigest()
    elif stat.S_ISLNK(st.st_mode):
        kind, content = "link", os.readlink(host)
    snap[inside] = [kind, oct(st.st_mode & 0o7777), st.st_uid, st.st_gid, content]


def wait_file(path, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return True
        time.sleep(0.05)
    return False


def processes(skip):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) in skip:
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = [x.decode(errors="replace") for x in f.read().split(b"\0") if x]
            with open(f"/proc/{d}/status") as f:
                status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
        except OSError:
            continue
        if not cmd or status.get("State", "").startswith("Z"):
            continue
        out.append({"pid": int(d), "ppid": int(status.get("PPid", 0)),
                    "uid": int(status.get("Uid", "0").split()[0]), "cmd": cmd})
    return out


def run_step(plan, step, skip):
    root = plan["root"]
    env = dict(step.get("env", {}))
    env["SGC_DEPLOY_MACHINE"] = plan["id"]
    uid, gid, groups = step.get("uid", 0), step.get("gid", 0), step.get("groups", [0])
    cwd = step.get("cwd", "/")
    out_path = os.path.join(plan["work"], f"step-{step['index']}.out")
    err_path = os.path.join(plan["work"], f"step-{step['index']}.err")

    def enter():
        os.chroot(root)
        os.chdir(cwd)
        os.setgroups(groups)
        os.setgid(gid)
        os.setuid(uid)
        os.umask(step.get("umask", 0o022))
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    stdin = subprocess.DEVNULL
    if "stdin" in step:
        stdin_path = os.path.join(plan["work"], f"step-{step['index']}.in")
        with open(stdin_path, "w") as f:
            f.write(step["stdin"])
        stdin = open(stdin_path)
    start = time.monotonic()
    wall_start = time.time()
    timed_out = False
    with open(out_path, "wb") as o, open(err_path, "wb") as e:
        p = subprocess.Popen(step["argv"], env=env, stdin=stdin, stdout=o, stderr=e,
                             preexec_fn=enter, start_new_session=True)
        try:
            rc = p.wait(timeout=step.get("timeout", 120))
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            rc = p.wait()
    seconds = time.monotonic() - start
    wall_end = time.time()
    waited = {}
    for w in step.get("wait_for", []) if rc == 0 else []:
        # a background job's trace: poll for it (a hang guard, not an assertion on time)
        waited[w] = wait_file(os.path.join(root, w.lstrip("/")), step.get("wait_seconds", 30))
    if step.get("settle"):
        time.sleep(step["settle"])
    with open(out_path, "rb") as f:
        stdout = f.read().decode(errors="replace")
    with open(err_path, "rb") as f:
        stderr = f.read().decode(errors="replace")
    return {"name": step["name"], "rc": rc, "timed_out": timed_out, "seconds": round(seconds, 3),
            "t0": wall_start, "t1": wall_end,
            "stdout": stdout, "stderr": stderr, "waited": waited, "processes": processes(skip)}


def main():
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    t0 = time.monotonic()
    results = {"steps": [], "error": None, "pidns": os.readlink("/proc/self/ns/pid")}
    daemons = []
    try:
        sh("ip", "link", "set", "lo", "up")
        mount_root(plan)
        stub = plan["stub"]
        port_file = stub["port_file"]
        if os.path.exists(port_file):
            os.unlink(port_file)
        log = open(os.path.join(plan["work"], "stub.stderr"), "ab")
        daemons.append(subprocess.Popen(stub["argv"], stdout=log, stderr=log, stdin=subprocess.DEVNULL))
        if not wait_file(port_file, 20):
            raise RuntimeError("the AWS stub did not start (see stub.stderr)")
        with open(port_file) as f:
            port = int(f.read())
        conf = os.path.join(plan["root"], "etc/sgc-deploy/aws.conf")
        with open(conf, "w") as f:
            f.write(f"endpoint=http://127.0.0.1:{port}\naccess_key={stub['access_key']}\n"
                    f"real_aws={stub['real_aws']}\n")
        os.chmod(conf, 0o644)
        if plan.get("jupyter"):
            jl = open(os.path.join(plan["work"], "jupyter.stderr"), "ab")
            daemons.append(subprocess.Popen(plan["jupyter"]["argv"], stdout=jl, stderr=jl,
                                            stdin=subprocess.DEVNULL))
            if not wait_file(plan["jupyter"]["ready_file"], 20):
                raise RuntimeError("the fake Jupyter server did not start")
        skip = {1} | {d.pid for d in daemons}
        results["setup_seconds"] = round(time.monotonic() - t0, 3)
        for i, step in enumerate(plan["steps"]):
            step["index"] = i
            kind = step.get("kind", "run")
            if kind == "run":
                results["steps"].append(run_step(plan, step, skip))
            elif kind == "expire":
                req = urllib.request.Request(f"http://127.0.0.1:{port}/_stub/expire", data=b"", method="POST")
                with urllib.request.urlopen(req, timeout=10) as r:
                    r.read()
                results["steps"].append({"name": step["name"], "rc": 0})
            elif kind == "snapshot":
                tops = [(os.path.join(plan["root"], t), "/" + t) for t in SNAPSHOT_TOPS]
                results["steps"].append({"name": step["name"], "rc": 0, "snapshot": snapshot(tops)})
            elif kind == "jupyter":
                with open(plan["jupyter"]["mode_file"], "w") as f:
                    f.write(step["mode"])
                results["steps"].append({"name": step["name"], "rc": 0})
            else:
                raise RuntimeError(f"unknown step kind {kind}")
    except Exception as e:  # reported by deploy.py as a harness error
        results["error"] = repr(e)
    finally:
        results["processes_at_end"] = processes({1} | {d.pid for d in daemons})
        for d in daemons:
            d.terminate()
        for d in daemons:
            try:
                d.wait(timeout=5)
            except subprocess.TimeoutExpired:
                d.kill()
        results["total_seconds"] = round(time.monotonic() - t0, 3)
        with open(plan["out"], "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
