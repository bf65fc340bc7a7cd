#!/usr/bin/env python3
"""tests/deploy/deploy.py - run every emitted artifact against the real tools.

Called by run.sh (which decides what the machine allows). For every example
and fixture: build it with sgc, then run each lifecycle script on each host
it supports in a fresh fake machine (machine.py, inside unshare'd mount, PID
and network namespaces, chrooted), with the real AWS CLI behind an `aws`
PATH shim against the loopback stub (stub.py); check what the scripts wrote;
check that every logged call is allowed by the emitted policy of the identity
that made it (iam.py); run the remote-access connect script through a real
`ssh` and `sshd -i`; then apply one mutation per layer and check that each
layer fails.

  deploy.py --sgc SGC --repo DIR [--no-ssh REASON] [--no-sudo REASON]
            [--only NAME] [--no-mutations] [--keep] [--jobs N]

One line per check; a summary line with counts and timings. Exit 1 when a
check fails. Standard library only.
"""
import argparse
import base64
import concurrent.futures
import copy
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import iam  # noqa: E402
import machine  # noqa: E402  (snapshot helpers are shared)

EC2_UID, EC2_GID = 500, 500
HOMES = {"root": "/root", "ec2-user": "/home/ec2-user", "sagemaker-user": "/home/sagemaker-user"}
SM_UID, SM_GID = 1000, 100
TOKEN_RE = re.compile(r"eyJ2ZXIiOjEsImlzdSI6\d{4}\.[A-Za-z0-9_-]+")
NOTEBOOK_LIFECYCLE_PATH = "/sbin:bin:/usr/sbin:/usr/bin"  # API_NotebookInstanceLifecycleHook
STUDIO_PATH = "/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HOST_ETC = ["alternatives", "bash.bashrc", "ca-certificates", "ca-certificates.conf", "debian_version",
            "default", "environment", "gai.conf", "host.conf", "inputrc", "ld.so.cache", "ld.so.conf",
            "ld.so.conf.d", "localtime", "login.defs", "mime.types", "os-release", "pam.conf", "pam.d",
            "profile", "profile.d", "protocols", "python3", "python3.11", "security", "services",
            "shells", "skel", "ssl", "ssh", "sudo.conf", "timezone", "machine-id", "gitconfig", "magic"]


# ---------------------------------------------------------------------------
# reporting
# ---------------------------------------------------------------------------

class Report:
    def __init__(self, quiet=False):
        self.quiet = quiet
        self.lock = threading.Lock()
        self.passed = self.failed = self.skipped = 0
        self.failures = []
        self.scripts = []   # (label, rc, seconds, calls)
        self.calls = 0
        self.requests = 0
        self.boots = 0
        self.commands = 0

    def check(self, ok, label, detail=""):
        with self.lock:
            if ok:
                self.passed += 1
            else:
                self.failed += 1
                self.failures.append(f"{label}: {detail}")
            if not self.quiet:
                print(f"ok   {label}" if ok else f"FAIL {label}{': ' + detail if detail else ''}", flush=True)
        return ok

    def count_boot(self, commands):
        with self.lock:
            self.boots += 1
            self.commands += commands

    def skip(self, label, why):
        with self.lock:
            self.skipped += 1
            if not self.quiet:
                print(f"skip {label}: {why}", flush=True)

    def note(self, text):
        with self.lock:
            if not self.quiet:
                print(f"     {text}", flush=True)


R = Report()


def short(text, n=300):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "..."


# ---------------------------------------------------------------------------
# builds: examples and fixtures, and what their scripts are
# ---------------------------------------------------------------------------

class Script:
    def __init__(self, build, path):
        self.build = build
        self.path = path
        self.name = os.path.basename(path)
        with open(path) as f:
            self.text = f.read()
        self.fragments = re.findall(r"^# ---- (?:std\.lifecycle\.(\w+)|(file)\(.*\)) ----$", self.text, re.M)
        self.fragments = [a or b for a, b in self.fragments]
        self.host = None        # notebook | CodeEditor | JupyterLab
        self.event = None       # on-start | on-create | app-start
        self.config = None      # logical id of the lifecycle config embedding it
        self.identity = None    # logical id of the role that runs it
        self.notebook = None    # notebook logical id
        self.domain = self.space = None

    @property
    def label(self):
        return f"{self.build.name}/{self.name}"

    def placeholders(self, var):
        """The shell words of `local VAR=...` or `local VAR=(...)` in the script."""
        m = re.search(rf"^\s*local {var}=\((.*)\)\s*$", self.text, re.M)
        if m:
            return shlex.split(m.group(1))
        m = re.search(rf"^\s*local {var}=(.*)$", self.text, re.M)
        return shlex.split(m.group(1))[0] if m else None


class Build:
    def __init__(self, sgc, src, out, repo):
        self.src = src
        self.repo = repo
        self.name = os.path.splitext(os.path.basename(src))[0]
        self.dir = os.path.join(out, self.name)
        os.makedirs(self.dir, exist_ok=True)
        with open(os.path.join(repo, src)) as f:
            m = re.search(r"^environment\s+([A-Za-z_][A-Za-z0-9_]*)", f.read(), re.M)
        self.stack = m.group(1) if m else self.name
        p = subprocess.run([sgc, "build", "--color=never", src, "-o", os.path.join(self.dir, "stack.json")],
                           capture_output=True, text=True, cwd=repo)
        self.build_ok = p.returncode == 0
        self.build_err = p.stderr
        self.scripts, self.remotes = [], []
        if not self.build_ok:
            return
        with open(os.path.join(self.dir, "stack.json")) as f:
            self.template = json.load(f)
        self.world = iam.World(self.template, self.stack)
        self.identities = iam.identities_from_template(self.world)
        self.keys = {i: "AKIA" + hashlib.sha256(f"{self.name}/{i}".encode()).hexdigest()[:16].upper()
                     for i in self.identities}
        self.idmap = {k: i for i, k in self.keys.items()}
        self.ids_file = os.path.join(self.dir, "identities.json")
        with open(self.ids_file, "w") as f:
            json.dump({k: {"id": i, "arn": self.identities[i].principal_arn} for k, i in self.idmap.items()}, f)
        self.calls_logs = []
        lc = os.path.join(self.dir, "lifecycle")
        for n in sorted(os.listdir(lc)) if os.path.isdir(lc) else []:
            s = Script(self, os.path.join(lc, n))
            self._place(s)
            self.scripts.append(s)
        rd = os.path.join(self.dir, "remote")
        for n in sorted(os.listdir(rd)) if os.path.isdir(rd) else []:
            if n.endswith("-connect.sh"):
                self.remotes.append(n[:-len("-connect.sh")])

    def _place(self, s):
        """Which lifecycle config embeds the script, which host runs it, as whom.

        w.props() resolves intrinsics as CloudFormation does, so a content of
        {"Fn::Base64": text} (what sgc emits) and a base64 blob (a file() that is
        not UTF-8 text) both arrive here as the base64 the API receives."""
        w = self.world
        for lid in w.of_type("AWS::SageMaker::NotebookInstanceLifecycleConfig"):
            props = w.props(lid)
            for key, event in (("OnStart", "on-start"), ("OnCreate", "on-create")):
                for hook in props.get(key) or []:
                    if base64.b64decode(hook["Content"]).decode() == s.text:
                        s.host, s.event, s.config = "notebook", event, lid
        for lid in w.of_type("AWS::SageMaker::StudioLifecycleConfig"):
            props = w.props(lid)
            if base64.b64decode(props["StudioLifecycleConfigContent"]).decode() == s.text:
                s.host, s.event, s.config = props["StudioLifecycleConfigAppType"], "app-start", lid
        if not s.host:
            raise RuntimeError(f"{s.label}: no lifecycle configuration in stack.json deploys this script")
        if s.host == "notebook":
            cfg_name = w.getatt(s.config, "NotebookInstanceLifecycleConfigName")
            for nb in w.of_type("AWS::SageMaker::NotebookInstance"):
                props = w.props(nb)
                if props.get("LifecycleConfigName") == cfg_name:
                    s.notebook = nb
                    s.identity = w.logical_of(props["RoleArn"])
        elif s.host:
            arn = w.getatt(s.config, "StudioLifecycleConfigArn")
            for dom in w.of_type("AWS::SageMaker::Domain"):
                props = w.props(dom)
                if arn in json.dumps(props):
                    s.domain = w.getatt(dom, "DomainId")
                    role = (props.get("DefaultSpaceSettings") or {}).get("ExecutionRole") or \
                        (props.get("DefaultUserSettings") or {}).get("ExecutionRole")
                    s.identity = w.logical_of(role)
            for sp in w.of_type("AWS::SageMaker::Space"):
                props = w.props(sp)
                if props.get("DomainId") == s.domain and \
                        (props.get("SpaceSettings") or {}).get("AppType") == s.host:
                    s.space = props["SpaceName"]
                    owner = (props.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
                    for up in w.of_type("AWS::SageMaker::UserProfile"):
                        upp = w.props(up)
                        role = (upp.get("UserSettings") or {}).get("ExecutionRole")
                        if upp.get("UserProfileName") == owner and role:
                            s.identity = w.logical_of(role)
                    break
            s.space = s.space or "sgc-test-space"


# ---------------------------------------------------------------------------
# fake machines
# ---------------------------------------------------------------------------

class Env:
    """What every machine of this run shares: paths of tools, certificates, keys."""

    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.python = sys.executable
        self.real_aws = args.real_aws
        self.binds_ro = [["/usr", "usr"]]
        for link in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
            if os.path.isdir("/" + link) and not os.path.islink("/" + link):
                self.binds_ro.append(["/" + link, link])  # a machine without merged /usr
        for extra in args.bind or []:
            self.binds_ro.append([extra, extra.lstrip("/")])
        self.certs = os.path.join(work, "certs")
        os.makedirs(self.certs)
        self._certs()
        self.sudo = shutil.which("sudo") is not None and not args.no_sudo

    def _openssl(self, *a):
        subprocess.run(["openssl", *a], check=True, capture_output=True, cwd=self.certs)

    def _certs(self):
        # Jupyter's own self-signed certificate for localhost
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "jupyter.key",
                      "-out", "jupyter.crt", "-days", "2", "-subj", "/CN=localhost",
                      "-addext", "subjectAltName=DNS:localhost")
        # a test CA and a certificate for every Region's CodeArtifact repository endpoints
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                      "-days", "2", "-subj", "/CN=sgc deploy tests CA",
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        regions = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
                   "ap-southeast-1", "ap-southeast-2"]
        sans = ",".join(f"DNS:*.d.codeartifact.{r}.amazonaws.com" for r in regions)
        with open(os.path.join(self.certs, "leaf.ext"), "w") as f:
            f.write(f"subjectAltName={sans}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
        self._openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
                      "-subj", "/CN=CodeArtifact test endpoint")
        self._openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                      "-CAcreateserial", "-out", "leaf.crt", "-days", "2", "-extfile", "leaf.ext")


def _write(path, text, mode=0o644, uid=0, gid=0):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    os.chown(path, uid, gid)


def _mkdir(path, mode=0o755, uid=0, gid=0):
    os.makedirs(path, exist_ok=True)
    os.chmod(path, mode)
    os.chown(path, uid, gid)


class Machine:
    """A fake machine: a root directory that survives between boots (sessions)."""
    counter = 0
    counter_lock = threading.Lock()

    def __init__(self, env, build, kind, label, identity, metadata=None, jupyter=False,
                 conda_writable=True, code_editor=False, hosts=()):
        with Machine.counter_lock:
            Machine.counter += 1
            n = Machine.counter
        self.env, self.build, self.kind, self.label = env, build, kind, label
        self.dir = os.path.join(env.work, "machines", f"{n:02d}-{re.sub(r'[^A-Za-z0-9.-]', '_', label)}")
        self.root = os.path.join(self.dir, "root")
        self.usrlocal = os.path.join(self.dir, "usrlocal")
        self.marker = f"sgc-deploy-{os.getpid()}-{n}"
        self.access_key = build.keys[identity] if identity else "AKIANOIDENTITY000000"
        self.identity = identity
        self.jupyter = jupyter
        self.log = os.path.join(self.dir, "calls.jsonl")
        self.state = os.path.join(self.dir, "stub-state.json")
        self.boots = 0
        self.results = []
        os.makedirs(self.dir)
        self._make_root(metadata, conda_writable, code_editor, hosts)

    def _make_root(self, metadata, conda_writable, code_editor, hosts):
        r = self.root
        os.makedirs(self.usrlocal)
        for d in ("usr", "proc", "dev", "root"):
            os.makedirs(os.path.join(r, d), exist_ok=True)
        for _src, dst in self.env.binds_ro[1:]:
            if dst.startswith("usr/local/"):
                os.makedirs(os.path.join(self.usrlocal, dst[len("usr/local/"):]), exist_ok=True)
            else:
                os.makedirs(os.path.join(r, dst), exist_ok=True)
        for link in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
            if os.path.islink("/" + link):
                os.symlink(os.readlink("/" + link), os.path.join(r, link))
            elif os.path.isdir("/" + link):
                os.makedirs(os.path.join(r, link))
        # 0755, not 0700: the real AWS CLI may live under /root/.pyenv and run as other users
        os.chmod(os.path.join(r, "root"), 0o755)
        etc = os.path.join(r, "etc")
        os.makedirs(etc)
        for name in HOST_ETC:
            src = os.path.join("/etc", name)
            dst = os.path.join(etc, name)
            if os.path.islink(src):
                os.symlink(os.readlink(src), dst)
            elif os.path.isdir(src):
                shutil.copytree(src, dst, symlinks=True)
            elif os.path.isfile(src):
                shutil.copy2(src, dst)
        for stale in ("pip.conf", "uv", "sgc", "cron.d", "sudoers.d"):
            p = os.path.join(etc, stale)
            if os.path.exists(p):
                shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
        _write(f"{etc}/passwd",
               "root:x:0:0:root:/root:/bin/bash\n"
               "sshd:x:101:65534::/run/sshd:/usr/sbin/nologin\n"
               f"ec2-user:x:{EC2_UID}:{EC2_GID}:EC2 Default User:/home/ec2-user:/bin/bash\n"
               f"sagemaker-user:x:{SM_UID}:{SM_GID}::/home/sagemaker-user:/bin/bash\n"
               "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
        _write(f"{etc}/group", f"root:x:0:\nusers:x:{SM_GID}:\nec2-user:x:{EC2_GID}:\nnogroup:x:65534:\n")
        _write(f"{etc}/shadow", "root:*:19000:0:99999:7:::\nsshd:*:19000::::::\nec2-user:*:19000::::::\n"
                                "sagemaker-user:*:19000::::::\nnobody:*:19000::::::\n", 0o640)
        _write(f"{etc}/gshadow", "root:*::\nusers:*::\nec2-user:*::\nnogroup:*::\n", 0o640)
        _write(f"{etc}/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files\n")
        _write(f"{etc}/resolv.conf", "nameserver 127.0.0.1\n")
        _write(f"{etc}/hostname", "sgc-deploy-test\n")
        host_lines = "".join(f"127.0.0.1 {h}\n" for h in hosts)
        _write(f"{etc}/hosts", f"127.0.0.1 localhost {os.uname().nodename}\n{host_lines}")
        _write(f"{etc}/sudoers", "Defaults env_reset\n"
                                 "Defaults secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
                                 "root ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n", 0o440)
        _mkdir(f"{etc}/sudoers.d", 0o755)
        _mkdir(f"{etc}/cron.d", 0o755)
        _mkdir(f"{etc}/sgc-deploy", 0o755)
        ca_bundle = f"{etc}/ssl/certs/ca-certificates.crt"
        if os.path.exists(ca_bundle):
            with open(os.path.join(self.env.certs, "ca.crt")) as f, open(ca_bundle, "a") as out:
                out.write(f.read())
        for d, mode in (("tmp", 0o1777), ("var/tmp", 0o1777), ("var/log", 0o755), ("var/lib", 0o755),
                        ("var/cache", 0o755), ("var/spool/cron", 0o755), ("run", 0o755), ("run/sshd", 0o755),
                        ("home", 0o755), ("opt", 0o755), ("var/tmp/sgc-deploy", 0o1777)):
            _mkdir(os.path.join(r, d), mode)
        os.makedirs(self.usrlocal, exist_ok=True)
        for d in ("bin", "sbin", "lib", "share", "etc", "include", "src"):
            _mkdir(os.path.join(self.usrlocal, d))
        os.makedirs(os.path.join(r, "usr"), exist_ok=True)
        shutil.copy2(os.path.join(HERE, "fakes/aws"), os.path.join(self.usrlocal, "bin/aws"))
        _write(f"{etc}/sgc-deploy/aws.conf", "# written at boot by machine.py\n")
        if self.kind == "notebook":
            home = f"{r}/home/ec2-user"
            _mkdir(home, 0o700, EC2_UID, EC2_GID)
            _mkdir(f"{home}/SageMaker", 0o755, EC2_UID, EC2_GID)
            for d in ("anaconda3", "anaconda3/bin", "anaconda3/envs", "anaconda3/envs/JupyterSystemEnv",
                      "anaconda3/envs/JupyterSystemEnv/bin"):
                _mkdir(f"{home}/{d}", 0o755, EC2_UID, EC2_GID)
            shutil.copy2(os.path.join(HERE, "fakes/python"), f"{home}/anaconda3/bin/python")
            os.chown(f"{home}/anaconda3/bin/python", EC2_UID, EC2_GID)
            os.symlink("python", f"{home}/anaconda3/bin/python3")
            shutil.copy2(os.path.join(HERE, "fakes/python"), f"{home}/anaconda3/envs/JupyterSystemEnv/bin/python")
            shutil.copy2(os.path.join(r, "etc/skel/.bashrc"), f"{home}/.bashrc") \
                if os.path.exists(os.path.join(r, "etc/skel/.bashrc")) else _write(f"{home}/.bashrc", "")
            os.chown(f"{home}/.bashrc", EC2_UID, EC2_GID)
        if self.kind in ("studio", "laptop"):
            home = f"{r}/home/sagemaker-user"
            _mkdir(home, 0o755, SM_UID, SM_GID)
            if os.path.exists(os.path.join(r, "etc/skel/.bashrc")):
                shutil.copy2(os.path.join(r, "etc/skel/.bashrc"), f"{home}/.bashrc")
                os.chown(f"{home}/.bashrc", SM_UID, SM_GID)
        if self.kind == "studio":
            owner = (SM_UID, SM_GID) if conda_writable else (0, 0)
            _mkdir(f"{r}/opt/conda", 0o755, *owner)
            _mkdir(f"{r}/opt/conda/bin", 0o755, *owner)
            for n in ("python", "python3"):
                shutil.copy2(os.path.join(HERE, "fakes/python"), f"{r}/opt/conda/bin/{n}")
                os.chown(f"{r}/opt/conda/bin/{n}", *owner)
            if code_editor:
                shutil.copy2(os.path.join(HERE, "fakes/sagemaker-code-editor"),
                             f"{r}/opt/conda/bin/sagemaker-code-editor")
                ext = f"{r}/opt/amazon/sagemaker/sagemaker-code-editor-server-data/extensions"
                os.makedirs(ext)
                for p in (ext, os.path.dirname(ext)):
                    os.chown(p, SM_UID, SM_GID)
        if metadata is not None:
            _write(f"{r}/opt/ml/metadata/resource-metadata.json", json.dumps(metadata, indent=2) + "\n")

    def boot(self, steps, label):
        """Run one boot of the machine: the steps, in order. Returns machine.py's results."""
        self.boots += 1
        plan_path = os.path.join(self.dir, f"plan-{self.boots}.json")
        out = os.path.join(self.dir, f"result-{self.boots}.json")
        stub_argv = [self.env.python, os.path.join(HERE, "stub.py"),
                     "--template", os.path.join(self.build.dir, "stack.json"), "--stack", self.build.stack,
                     "--identities", self.build.ids_file, "--port-file", os.path.join(self.dir, "port"),
                     "--state", self.state, "--log", self.log,
                     "--pypi-port", "443", "--tls-cert", os.path.join(self.env.certs, "leaf.crt"),
                     "--tls-key", os.path.join(self.env.certs, "leaf.key")]
        plan = {"root": self.root, "work": self.dir, "id": self.marker, "out": out,
                "binds_ro": self.env.binds_ro,
                "binds_rw": [[self.usrlocal, "usr/local"]], "rbinds": [["/dev", "dev"]],
                "stub": {"argv": stub_argv, "port_file": os.path.join(self.dir, "port"),
                         "access_key": self.access_key, "real_aws": self.env.real_aws, "log": self.log},
                "steps": steps}
        if self.jupyter:
            plan["jupyter"] = {"argv": [self.env.python, os.path.join(HERE, "fakes/jupyter.py"),
                                        os.path.join(self.env.certs, "jupyter.crt"),
                                        os.path.join(self.env.certs, "jupyter.key"),
                                        os.path.join(self.dir, "jupyter-mode"), os.path.join(self.dir, "jupyter-ready")],
                               "mode_file": os.path.join(self.dir, "jupyter-mode"),
                               "ready_file": os.path.join(self.dir, "jupyter-ready")}
            with open(plan["jupyter"]["mode_file"], "w") as f:
                f.write("down\n")
            if os.path.exists(plan["jupyter"]["ready_file"]):
                os.unlink(plan["jupyter"]["ready_file"])
        with open(plan_path, "w") as f:
            json.dump(plan, f, indent=1)
        before = self.log_lines()
        p = subprocess.run(["unshare", "--mount", "--pid", "--net", "--fork", "--mount-proc",
                            self.env.python, os.path.join(HERE, "machine.py"), plan_path],
                           capture_output=True, text=True, timeout=900)
        res = {"error": f"machine.py exit {p.returncode}: {short(p.stderr)}", "steps": []}
        if os.path.exists(out):
            with open(out) as f:
                res = json.load(f)
        res["calls"] = self.log_lines()[len(before):]
        self.results.append(res)
        survivors = self.survivors(res.get("pidns"))
        R.count_boot(sum(1 for st in steps if st.get("kind", "run") == "run"))
        R.check(not res.get("error"), f"{label}: fake machine boot {self.boots}", res.get("error") or "")
        R.check(not survivors, f"{label}: boot {self.boots}: no process outlives the machine's PID namespace",
                f"survivors {survivors}")
        return res

    def survivors(self, pidns):
        """Host PIDs still in the machine's PID namespace, or carrying its marker."""
        found = []
        needle = f"SGC_DEPLOY_MACHINE={self.marker}\0".encode()
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                if pidns and os.readlink(f"/proc/{d}/ns/pid") == pidns:
                    found.append(int(d))
                    continue
                with open(f"/proc/{d}/environ", "rb") as f:
                    if needle in f.read():
                        found.append(int(d))
            except OSError:
                continue
        return found

    def log_lines(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(x) for x in f if x.strip()]

    def stub_state(self):
        with open(self.state) as f:
            return json.load(f)

    def latest_token(self):
        toks = self.stub_state()["tokens"]
        return max(toks, key=lambda t: toks[t]["generation"]) if toks else None

    def path(self, p):
        """Host path of a path inside the machine."""
        if p.startswith("/usr/local/"):
            return os.path.join(self.usrlocal, p[len("/usr/local/"):])
        if p.startswith("/usr/"):
            return p  # bound read-only from the host
        return os.path.join(self.root, p.lstrip("/"))

    def read(self, p):
        try:
            with open(self.path(p)) as f:
                return f.read()
        except OSError:
            return None

    def stat(self, p):
        try:
            return os.stat(self.path(p))
        except OSError:
            return None

    def snapshot(self):
        """What a start could change (machine.snapshot), seen from the host."""
        tops = [(os.path.join(self.root, t), "/" + t) for t in machine.SNAPSHOT_TOPS if t != "usr/local"]
        return machine.snapshot(tops + [(self.usrlocal, "/usr/local")])

    def cleanup(self):
        # the machine's mounts lived only in its own mount namespace, gone with it;
        # refuse to delete anything that is still a mount point
        for p in [os.path.join(self.root, x) for x in ("usr", "proc", "dev")] + \
                [os.path.join(self.root, d) for _s, d in self.env.binds_ro]:
            if os.path.ismount(p):
                raise RuntimeError(f"{p} is still mounted; not deleting {self.dir}")
        subprocess.run(["rm", "-rf", "--one-file-system", self.dir], check=False)


def run_step(name, argv, user="root", env=None, timeout=120, wait_for=(), cwd="/", stdin=None):
    uid, gid, groups = {"root": (0, 0, [0]), "ec2-user": (EC2_UID, EC2_GID, [EC2_GID]),
                        "sagemaker-user": (SM_UID, SM_GID, [SM_GID])}[user]
    step = {"name": name, "kind": "run", "argv": argv, "uid": uid, "gid": gid, "groups": groups,
            "env": env or {}, "timeout": timeout, "wait_for": list(wait_for), "cwd": cwd}
    if stdin is not None:
        step["stdin"] = stdin
    return step


def step_result(res, name):
    for s in res.get("steps", []):
        if s["name"] == name:
            return s
    return {"name": name, "rc": None, "stdout": "", "stderr": "step did not run", "seconds": 0,
            "processes": [], "waited": {}}


def notebook_env():
    return {"PATH": NOTEBOOK_LIFECYCLE_PATH, "HOME": "/root", "LANG": "C.UTF-8"}


def studio_env(region):
    return {"PATH": STUDIO_PATH, "HOME": "/home/sagemaker-user", "USER": "sagemaker-user",
            "SHELL": "/bin/bash", "LANG": "C.UTF-8", "AWS_REGION": region, "AWS_DEFAULT_REGION": region}


# ---------------------------------------------------------------------------
# cron
# ---------------------------------------------------------------------------

CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def cron_field_ok(field, lo, hi):
    for part in field.split(","):
        m = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", part)
        if not m:
            return False
        nums = [int(x) for x in (m.group(2), m.group(3)) if x is not None]
        if any(not lo <= n <= hi for n in nums) or (m.group(4) is not None and int(m.group(4)) < 1):
            return False
    return True


def parse_cron(text, passwd_users):
    """(env, jobs, problems) of an /etc/cron.d file: jobs are (fields, user, command)."""
    env, jobs, problems = {}, [], []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)", s)
        if m:
            env[m.group(1)] = m.group(2)
            continue
        parts = s.split(None, 6)
        if len(parts) < 7:
            problems.append(f"not 5 time fields, a user and a command: {s!r}")
            continue
        fields, user, command = parts[:5], parts[5], parts[6]
        for f, (lo, hi) in zip(fields, CRON_RANGES):
            if not cron_field_ok(f, lo, hi):
                problems.append(f"bad time field {f!r}")
        if user not in passwd_users:
            problems.append(f"unknown user {user!r}")
        if "%" in command:
            problems.append("unescaped % in the command (cron turns it into a newline)")
        jobs.append((fields, user, command))
    return env, jobs, problems


def cron_step(name, job, env, user_home, timeout=120):
    """The job's command, run as cron runs it: /bin/sh -c, the file's PATH, a clean environment."""
    fields, user, command = job
    e = {"PATH": env.get("PATH", "/usr/bin:/bin"), "SHELL": env.get("SHELL", "/bin/sh"),
         "HOME": user_home, "LOGNAME": user}
    return run_step(name, ["/bin/sh", "-c", command], user=user, env=e, timeout=timeout)


# ---------------------------------------------------------------------------
# checks shared by hosts
# ---------------------------------------------------------------------------

def mode_of(st):
    return oct(st.st_mode & 0o7777) if st else None


def index_url(build, region, token, domain, repository):
    host = f"{domain}-{build.world.account}.d.codeartifact.{region}.amazonaws.com"
    return f"https://aws:{token}@{host}/pypi/{repository}/simple/"


def toml_value(text, key):
    try:
        import tomllib
        return tomllib.loads(text).get(key)
    except ImportError:
        m = re.search(rf'^{key}\s*=\s*"([^"]*)"', text, re.M)
        return m.group(1) if m else None
    except Exception:
        return None


def env_files(m, homes):
    """Environment files a login shell reads, and what they source (one level)."""
    files = ["/etc/environment", "/etc/profile", "/etc/bash.bashrc"]
    pd = m.path("/etc/profile.d")
    if os.path.isdir(pd):
        files += [f"/etc/profile.d/{n}" for n in sorted(os.listdir(pd))]
    for h in homes:
        for n in (".bashrc", ".bash_profile", ".profile", ".bash_login"):
            files.append(f"{h}/{n}")
    out = list(files)
    for f in files:
        text = m.read(f) or ""
        home = next((h for h in homes if f.startswith(h + "/")), "/root")
        for src in re.findall(r"(?:^|[;&|]\s*|\s)(?:\.|source)\s+([^\s;&|]+)", text, re.M):
            src = src.strip("'\"").replace("~", home).replace("$HOME", home).replace("${HOME}", home)
            if src.startswith("/") and src not in out:
                out.append(src)
    return out


def check_secrets(m, label, results):
    """Tokens live only in files others cannot read; never in logs or script output."""
    leaks = []
    for top in ("etc", "home", "opt", "var", "root", "tmp", "run"):
        for dirpath, dirs, files in os.walk(os.path.join(m.root, top)):
            inside = "/" + os.path.relpath(dirpath, m.root)
            if inside.startswith(("/var/tmp/sgc-deploy", "/opt/sgc-deploy", "/root/.pyenv")):
                dirs[:] = []
                continue
            for n in files:
                leaks += _token_leak(os.path.join(dirpath, n), f"{inside}/{n}")
    for dirpath, _dirs, files in os.walk(m.usrlocal):
        for n in files:
            leaks += _token_leak(os.path.join(dirpath, n), "/usr/local/" + os.path.relpath(os.path.join(dirpath, n),
                                                                                          m.usrlocal))
    for res in results:
        for st in res.get("steps", []):
            if TOKEN_RE.search(st.get("stdout", "") + st.get("stderr", "")):
                leaks.append(f"printed by step {st['name']}")
    R.check(not leaks, f"{label}: tokens only in files others cannot read, never in logs or output",
            "; ".join(sorted(set(leaks))[:6]))


def _token_leak(host, inside):
    try:
        st = os.lstat(host)
        if not os.path.isfile(host) or os.path.islink(host) or st.st_size > 1 << 20:
            return []
        with open(host, "rb") as f:
            if not TOKEN_RE.search(f.read().decode(errors="replace")):
                return []
    except OSError:
        return []
    if inside.endswith(".log") or inside.startswith("/var/log/"):
        return [f"token in log {inside}"]
    if st.st_mode & 0o004:
        return [f"{inside} is world-readable ({oct(st.st_mode & 0o777)})"]
    return []


def check_no_token_in_env(m, label, homes):
    leaks = [f for f in env_files(m, homes) if TOKEN_RE.search(m.read(f) or "")]
    R.check(not leaks, f"{label}: no CodeArtifact token left in environment files",
            f"token in {', '.join(leaks)} (it outlives the 12-hour token and overrides the refreshed config)")


def pip_download_step(name, user, home):
    return run_step(name, ["/usr/bin/python3", "-m", "pip", "download", "--no-deps", "--no-cache-dir",
                           "--disable-pip-version-check", "--no-input", "--timeout", "10", "--retries", "0",
                           "-d", f"/var/tmp/sgc-deploy/{name}", "sgc-probe"],
                    user=user, env={"HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"},
                    timeout=90)


def calls_of(res, service=None, op=None):
    return [c for c in res.get("calls", []) if (service is None or c.get("service") == service)
            and (op is None or c.get("operation") == op)]


def calls_during(res, step):
    """The calls logged while a step ran (the stub stamps each call)."""
    return [c for c in res.get("calls", []) if c.get("service") and
            step.get("t0", 0) - 0.01 <= c.get("t", 0) <= step.get("t1", 1e12) + 0.01]


def report_script(m, s, res, step_name, label):
    st = step_result(res, step_name)
    calls = len(calls_during(res, st))
    R.scripts.append((label, st["rc"], st.get("seconds", 0), calls))
    R.note(f"{label}: exit {st['rc']}, {st.get('seconds', 0):.2f} s, {calls} calls logged")
    ok = R.check(st["rc"] == 0 and not st.get("timed_out"), f"{label}: exits 0",
                 f"exit {st['rc']}{' (timed out)' if st.get('timed_out') else ''}; "
                 f"stderr: {short(st['stderr'])}")
    return ok


# ---------------------------------------------------------------------------
# notebook scripts
# ---------------------------------------------------------------------------

def notebook_metadata(build, s):
    w = build.world
    name = w.getatt(s.notebook, "NotebookInstanceName") if s.notebook else "sgc-test-notebook"
    return {"ResourceArn": w.arn("sagemaker", f"notebook-instance/{name.lower()}"), "ResourceName": name}


def ca_hosts(build):
    return [f"{d}-{build.world.account}.d.codeartifact.{build.world.region}.amazonaws.com"
            for d in [build.world.getatt(x, "Name") for x in build.world.of_type("AWS::CodeArtifact::Domain")]]


def run_notebook(env, build, s):
    label = s.label
    meta = notebook_metadata(build, s)
    m = Machine(env, build, "notebook", label, s.identity, meta, jupyter="idle_stop" in s.fragments,
                hosts=ca_hosts(build))
    target = "/opt/sgc-deploy/" + s.name
    _write(m.path(target), s.text, 0o755)
    waits = ["/var/tmp/sgc-deploy/python.log"] if "install_tools" in s.fragments else []
    res = m.boot([run_step("start", [target], env=notebook_env(), wait_for=waits)], label)
    ok = report_script(m, s, res, "start", label)
    build.calls_logs.append(m)
    if "file" in s.fragments:
        R.check(f"on-{s.event.split('-')[1]} ran as root" in (m.read("/var/tmp/sgc-deploy/user-scripts.log") or ""),
                f"{label}: file() script ran as root")
    if not ok:
        R.note(f"{label}: later checks of this script need a successful start; skipped")
        return m
    snap1 = None
    if "pip_from" in s.fragments:
        check_pip_from_notebook(env, build, s, m, res)
    if "idle_stop" in s.fragments:
        check_idle_stop(env, build, s, m, meta)
    if "install_tools" in s.fragments:
        check_install_tools(s, m, "ec2-user", "/home/ec2-user", "/var/log/sgc-install-tools.log",
                            "pip_from" in s.fragments[:s.fragments.index("install_tools")])
    if "git_config" in s.fragments:
        check_git(s, m, "/home/ec2-user", EC2_UID)
    # a second start changes nothing (apart from the token)
    snap1 = m.snapshot()
    res2 = m.boot([run_step("start-again", [target], env=notebook_env(), wait_for=waits)], label)
    st2 = step_result(res2, "start-again")
    R.check(st2["rc"] == 0, f"{label}: a second start exits 0", f"exit {st2['rc']}: {short(st2['stderr'])}")
    compare_snapshots(label, snap1, m.snapshot())
    if "pip_from" in s.fragments:
        check_secrets(m, label, m.results)
    return m


def compare_snapshots(label, a, b):
    diffs = []
    for p in sorted(set(a) | set(b)):
        if a.get(p) != b.get(p):
            if p not in a:
                diffs.append(f"new {p}")
            elif p not in b:
                diffs.append(f"removed {p}")
            else:
                what = [n for n, x, y in zip(("type", "mode", "uid", "gid", "content"), a[p], b[p]) if x != y]
                diffs.append(f"{p} ({', '.join(what)})")
    R.check(not diffs, f"{label}: a second start changes nothing but the token", "; ".join(diffs[:8]))


def check_pip_from_notebook(env, build, s, m, res):
    label = s.label
    region = build.world.region
    domain, repository = s.placeholders("domain"), s.placeholders("repository")
    hours = int(s.placeholders("hours"))
    tok1 = m.latest_token()
    gets = calls_of(res, "codeartifact", "GetAuthorizationToken")
    R.check(len(gets) == 1 and gets[0]["status"] == 200, f"{label}: pip_from: one GetAuthorizationToken call",
            f"{len(gets)} calls")
    eps = calls_of(res, "codeartifact", "GetRepositoryEndpoint")
    R.check(len(eps) == 1 and eps[0]["params"].get("repository") == repository and
            eps[0]["params"].get("format") == "pypi",
            f"{label}: pip_from: GetRepositoryEndpoint for {repository} (pypi)", f"{eps}")
    url = index_url(build, region, tok1, domain, repository)
    check_index_files_notebook(m, label, url)
    check_no_token_in_env(m, f"{label}: pip_from", ["/home/ec2-user", "/root"])
    conf = m.read("/etc/sgc/codeartifact.conf") or ""
    R.check(not TOKEN_RE.search(conf) and repository in conf,
            f"{label}: pip_from: /etc/sgc/codeartifact.conf names the repository, holds no token")
    # the cron entry
    cron = m.read("/etc/cron.d/sgc-codeartifact-refresh")
    st = m.stat("/etc/cron.d/sgc-codeartifact-refresh")
    R.check(cron is not None and st.st_uid == 0 and not st.st_mode & 0o022,
            f"{label}: pip_from: /etc/cron.d/sgc-codeartifact-refresh, root's, not group/world-writable",
            f"mode {mode_of(st)}")
    if cron is None:
        return
    cenv, jobs, problems = parse_cron(cron, {"root", "ec2-user"})
    R.check(not problems and len(jobs) == 1, f"{label}: pip_from: cron entry parses (5 time fields, user, command)",
            "; ".join(problems) or f"{len(jobs)} jobs")
    if not jobs:
        return
    hour = jobs[0][0][1]
    R.check(jobs[0][1] == "root" and re.fullmatch(r"\*/(\d+)", hour) and int(hour[2:]) == hours and hours < 12,
            f"{label}: pip_from: cron refreshes as root every {hours} h (< 12 h token lifetime)",
            f"user {jobs[0][1]}, hour field {hour}")
    # expiry: pip is refused; cron's run of the helper refreshes; pip works again
    pip = not env.args.no_pip
    steps = [pip_download_step("pip-before-expiry", "ec2-user", "/home/ec2-user")] if pip else []
    steps.append({"name": "expire", "kind": "expire"})
    steps += [pip_download_step("pip-expired", "ec2-user", "/home/ec2-user")] if pip else []
    steps.append(cron_step("cron-refresh", jobs[0], cenv, HOMES.get(jobs[0][1], "/")))
    steps += [pip_download_step("pip-after-refresh", "ec2-user", "/home/ec2-user")] if pip else []
    res = m.boot(steps, label)
    r1, r2, r3 = (step_result(res, n) for n in ("pip-before-expiry", "pip-expired", "pip-after-refresh"))
    check_pip_downloads(env, label, "ec2-user's pip downloads through /etc/pip.conf (HTTPS, token)", r1, r2)
    cr = step_result(res, "cron-refresh")
    R.check(cr["rc"] == 0, f"{label}: pip_from: cron's command (its PATH, clean environment) exits 0",
            f"exit {cr['rc']}: {short(cr['stderr'])}")
    tok2 = m.latest_token()
    url2 = index_url(build, region, tok2, domain, repository)
    R.check(tok2 != tok1 and url2 in (m.read("/etc/pip.conf") or "") and tok1 not in (m.read("/etc/pip.conf") or ""),
            f"{label}: pip_from: after expiry, cron's refresh writes the new token")
    if pip:
        R.check(r3["rc"] == 0, f"{label}: pip_from: pip works again after the refresh", short(r3["stderr"]))
    check_index_files_notebook(m, f"{label} (after refresh)", url2)
    # the helper by hand, by ec2-user
    if not env.sudo:
        R.skip(f"{label}: pip_from: ec2-user runs the refresh helper by hand (sudo)",
               env.args.no_sudo or "sudo is not installed")
        return
    rules = " ".join((m.read(f"/etc/sudoers.d/{n}") or "") for n in os.listdir(m.path("/etc/sudoers.d")))
    helper = "/usr/local/bin/sgc-codeartifact-refresh"
    argv = ["sudo", "-n", helper] if "sgc-codeartifact-refresh" in rules else [helper]
    res = m.boot([{"name": "expire", "kind": "expire"},
                  run_step("by-hand", argv, user="ec2-user",
                           env={"HOME": "/home/ec2-user", "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"})],
                 label)
    bh = step_result(res, "by-hand")
    tok3 = m.latest_token()
    R.check(bh["rc"] == 0 and tok3 != tok2 and tok3 in (m.read("/etc/pip.conf") or ""),
            f"{label}: pip_from: ec2-user can run the refresh helper by hand ({' '.join(argv[:2])})",
            f"exit {bh['rc']}: {short(bh['stderr'])}" + ("" if "sgc-codeartifact-refresh" in rules
                                                           else "; no sudoers rule names the helper"))


def check_index_files_notebook(m, label, url):
    pip = m.read("/etc/pip.conf")
    R.check(pip is not None and re.search(r"^\[global\]\s*$", pip, re.M) and
            re.search(rf"^index-url\s*=\s*{re.escape(url)}\s*$", pip, re.M),
            f"{label}: pip_from: /etc/pip.conf [global] index-url is the repository with the token",
            short(pip or "missing"))
    st = m.stat("/etc/pip.conf")
    R.check(st and st.st_uid == 0 and st.st_gid == EC2_GID and mode_of(st) == "0o640",
            f"{label}: pip_from: /etc/pip.conf root:ec2-user 0640",
            f"{st and st.st_uid}:{st and st.st_gid} {mode_of(st)}")
    uv = m.read("/etc/uv/uv.toml")
    R.check(uv is not None and toml_value(uv, "index-url") == url,
            f"{label}: pip_from: /etc/uv/uv.toml index-url (valid TOML)", short(uv or "missing"))
    st = m.stat("/etc/uv/uv.toml")
    R.check(st and st.st_uid == 0 and st.st_gid == EC2_GID and mode_of(st) == "0o640",
            f"{label}: pip_from: /etc/uv/uv.toml root:ec2-user 0640", f"{mode_of(st)}")
    check_pdm(m, label, url, ["/home/ec2-user", "/root"])


def check_pdm(m, label, url, homes):
    """PDM reads PDM_PYPI_URL or pypi.url in its config.toml files."""
    where = []
    for f in [f"{h}/.config/pdm/config.toml" for h in homes] + ["/etc/xdg/pdm/config.toml"]:
        text = m.read(f)
        if text and url in text:
            where.append(f)
    for f in env_files(m, homes):
        text = m.read(f) or ""
        if re.search(rf"PDM_PYPI_URL=['\"]?{re.escape(url)}", text):
            where.append(f"{f} (PDM_PYPI_URL)")
    R.check(bool(where), f"{label}: pip_from: PDM is pointed at the repository", "no PDM configuration found")


def check_idle_stop(env, build, s, m, meta):
    label = s.label
    minutes = s.placeholders("minutes")
    st = m.stat("/usr/local/bin/sgc-idle-stop")
    R.check(st is not None and mode_of(st) == "0o755", f"{label}: idle_stop: /usr/local/bin/sgc-idle-stop 0755")
    cron = m.read("/etc/cron.d/sgc-idle-stop")
    if not R.check(cron is not None, f"{label}: idle_stop: /etc/cron.d/sgc-idle-stop exists"):
        return
    cenv, jobs, problems = parse_cron(cron, {"root", "ec2-user"})
    R.check(not problems and len(jobs) == 1 and jobs[0][0][0] == "*/5",
            f"{label}: idle_stop: cron entry parses: every 5 minutes", "; ".join(problems) or str(jobs))
    if not jobs:
        return
    R.note(f"{label}: idle_stop: the checker runs as {jobs[0][1]}")
    prog = jobs[0][2].split()[0]
    R.check(m.stat(prog) is not None and f" {minutes} " in f" {jobs[0][2]} ",
            f"{label}: idle_stop: cron runs {prog} (present) with {minutes} minutes")
    steps = []
    for mode in ("idle", "busy", "recent", "down"):
        steps += [{"name": f"jupyter-{mode}", "kind": "jupyter", "mode": mode},
                  cron_step(f"check-{mode}", jobs[0], cenv, HOMES.get(jobs[0][1], "/"))]
    res = m.boot(steps, label)
    # split the calls by step: each check step logs its own calls
    calls = res.get("calls", [])
    stops = [c for c in calls if c.get("operation") == "StopNotebookInstance"]
    times = {st["name"]: st for st in res.get("steps", [])}
    for mode in ("idle", "busy", "recent", "down"):
        rc = times.get(f"check-{mode}", {}).get("rc")
        R.check(rc == 0, f"{label}: idle_stop: the checker exits 0 when Jupyter is {mode}", f"exit {rc}: "
                f"{short(times.get(f'check-{mode}', {}).get('stderr', ''))}")
    # machine.py runs the steps in order; the only stop must come from the idle step
    R.check(len(stops) == 1 and stops[0]["params"].get("NotebookInstanceName") == meta["ResourceName"]
            and stops[0]["status"] == 200 and stops[0]["region"] == build.world.region,
            f"{label}: idle_stop: idle -> exactly one StopNotebookInstance for its own name; busy, recent "
            f"activity, Jupyter down -> none", f"{[(c['params'], c['status']) for c in stops]}")
    idle_out = times.get("check-idle", {}).get("stdout", "") + (m.read("/var/log/sgc-idle-stop.log") or "")
    R.check("stopping" in idle_out, f"{label}: idle_stop: the idle check says it stops")


def check_install_tools(s, m, user, home, log, after_pip_from):
    label = s.label
    tools = s.placeholders("tools")
    pylog = m.read("/var/tmp/sgc-deploy/python.log") or ""
    lines = [ln.split("\t") for ln in pylog.splitlines() if "-m pip install" in ln]
    R.check(bool(lines), f"{label}: install_tools: pip install ran (background)", "no pip call recorded")
    if not lines:
        return
    who, h, _prog, *rest = lines[-1]
    index = next((x[len("index="):] for x in rest if x.startswith("index=")), "")
    args = shlex.split(rest[-1]) if rest else []
    R.check(who == user and h == home, f"{label}: install_tools: as {user} with HOME {home}", f"{who} {h}")
    R.check(args[-len(tools) - 1:] == ["--", *tools] and "--upgrade" in args,
            f"{label}: install_tools: pip install --upgrade -- {' '.join(tools)}", " ".join(args))
    if after_pip_from:
        R.check(TOKEN_RE.search(index) is not None, f"{label}: install_tools: pip sees the CodeArtifact index",
                f"index {index!r}")
    R.check(m.read(log) is not None, f"{label}: install_tools: log {log}")


def check_git(s, m, home, uid):
    label = s.label
    cfg = m.path(f"{home}/.gitconfig")
    want = {"user.name": s.placeholders("name"), "user.email": s.placeholders("email"),
            "init.defaultBranch": "main"}
    got = {}
    for k in want:
        p = subprocess.run(["git", "config", "--file", cfg, "--get", k], capture_output=True, text=True)
        got[k] = p.stdout.rstrip("\n") if p.returncode == 0 else None
    st = m.stat(f"{home}/.gitconfig")
    R.check(got == want and st and st.st_uid == uid, f"{label}: git_config: ~/.gitconfig values, owned by the user",
            f"got {got}, owner {st and st.st_uid}")


# ---------------------------------------------------------------------------
# Studio scripts
# ---------------------------------------------------------------------------

def studio_metadata(build, s):
    w = build.world
    app_type = s.host
    return {"AppType": app_type, "DomainId": s.domain, "SpaceName": s.space, "UserProfileName": "",
            "ResourceArn": w.arn("sagemaker", f"app/{s.domain}/{s.space}/{app_type.lower()}/default"),
            "ResourceName": "default", "AppImageVersion": "smd-2.7"}


def run_studio(env, build, s):
    label = s.label
    code_editor = s.host == "CodeEditor"
    # Code Editor: a SageMaker Distribution image (/opt/conda writable); JupyterLab: an image whose
    # /opt/conda sagemaker-user cannot write (install_tools falls back to --user)
    m = Machine(env, build, "studio", label, s.identity, studio_metadata(build, s),
                conda_writable=code_editor, code_editor=code_editor, hosts=ca_hosts(build))
    target = "/opt/sgc-deploy/" + s.name
    _write(m.path(target), s.text, 0o755)
    waits = []
    if "install_tools" in s.fragments:
        waits.append("/var/tmp/sgc-deploy/python.log")
    if "code_editor_extensions" in s.fragments and code_editor:
        waits.append("/var/tmp/sgc-deploy/code-editor.log")
    e = studio_env(build.world.region)
    res = m.boot([run_step("start", [target], user="sagemaker-user", env=e, wait_for=waits),
                  {"name": "snap-1", "kind": "snapshot"},
                  run_step("start-again", [target], user="sagemaker-user", env=e, wait_for=waits),
                  {"name": "snap-2", "kind": "snapshot"}], label)
    ok = report_script(m, s, res, "start", label)
    build.calls_logs.append(m)
    st2 = step_result(res, "start-again")
    R.check(st2["rc"] == 0, f"{label}: a second app start (loop still running) exits 0",
            f"exit {st2['rc']}: {short(st2['stderr'])}")
    if "file" in s.fragments:
        R.check("on-start ran as sagemaker-user" in (m.read("/var/tmp/sgc-deploy/user-scripts.log") or ""),
                f"{label}: file() script ran as sagemaker-user")
    if not ok:
        return m
    home = "/home/sagemaker-user"
    if "pip_from" in s.fragments:
        check_pip_from_studio(env, build, s, m, res)
    if "install_tools" in s.fragments:
        check_install_tools(s, m, "sagemaker-user", home, f"{home}/.cache/sgc/install-tools.log",
                            "pip_from" in s.fragments[:s.fragments.index("install_tools")])
        pylog = m.read("/var/tmp/sgc-deploy/python.log") or ""
        R.check(("--user" in pylog) != code_editor,
                f"{label}: install_tools: {'/opt/conda (writable)' if code_editor else '--user (read-only /opt/conda)'}")
    if "git_config" in s.fragments:
        check_git(s, m, home, SM_UID)
    if "code_editor_extensions" in s.fragments:
        exts = s.placeholders("extensions")
        log = m.read("/var/tmp/sgc-deploy/code-editor.log") or ""
        d = "/opt/amazon/sagemaker/sagemaker-code-editor-server-data/extensions"
        want = " ".join(f"--install-extension {x}" for x in exts)
        R.check(f"--extensions-dir {d}" in log and want in log and log.startswith("sagemaker-user"),
                f"{label}: code_editor_extensions: sagemaker-code-editor --extensions-dir ... {want}", short(log))
        R.check(all(m.stat(f"{d}/{x}") for x in exts), f"{label}: code_editor_extensions: extensions installed")
    # a second start in the same container (the loop still running) changed nothing
    compare_snapshots(label, step_result(res, "snap-1").get("snapshot", {}),
                      step_result(res, "snap-2").get("snapshot", {}))
    if "pip_from" in s.fragments:
        check_secrets(m, label, m.results)
    return m


def refresh_loops(processes):
    return [p for p in processes if any("sgc-codeartifact-refresh" in c for c in p["cmd"]) and "--every" in p["cmd"]]


def check_pip_from_studio(env, build, s, m, res):
    label = s.label
    home = "/home/sagemaker-user"
    region = build.world.region
    domain, repository = s.placeholders("domain"), s.placeholders("repository")
    hours = int(s.placeholders("hours"))
    gets = calls_of(res, "codeartifact", "GetAuthorizationToken")
    R.check(len(gets) == 2 and all(c["status"] == 200 for c in gets),
            f"{label}: pip_from: one GetAuthorizationToken per start", f"{len(gets)} calls")
    tok = m.latest_token()
    url = index_url(build, region, tok, domain, repository)
    for f, kind in ((f"{home}/.config/pip/pip.conf", "pip"), (f"{home}/.config/uv/uv.toml", "uv")):
        text = m.read(f)
        st = m.stat(f)
        good = text is not None and (
            re.search(rf"^index-url\s*=\s*{re.escape(url)}\s*$", text, re.M) and "[global]" in text
            if kind == "pip" else toml_value(text, "index-url") == url)
        R.check(bool(good), f"{label}: pip_from: {f} points {kind} at the repository with the token",
                short(text or "missing"))
        R.check(st and st.st_uid == SM_UID and mode_of(st) == "0o600", f"{label}: pip_from: {f} sagemaker-user 0600",
                f"{st and st.st_uid} {mode_of(st)}")
    check_pdm(m, label, url, [home])
    check_no_token_in_env(m, f"{label}: pip_from", [home])
    bashrc = m.read(f"{home}/.bashrc") or ""
    lines = [ln for ln in bashrc.splitlines() if "sgc pip_from" in ln]
    R.check(len(lines) <= 1, f"{label}: pip_from: ~/.bashrc line added at most once after two starts",
            f"{len(lines)} lines")
    p1 = refresh_loops(step_result(res, "start")["processes"])
    p2 = refresh_loops(step_result(res, "start-again")["processes"])
    R.check(len(p1) == 1 and p1[0]["uid"] == SM_UID and str(hours * 3600) in p1[0]["cmd"],
            f"{label}: pip_from: one background refresh loop, every {hours} h, as sagemaker-user",
            f"{[p['cmd'] for p in p1]}")
    R.check(len(p2) == 1 and p1 and p2[0]["pid"] == p1[0]["pid"],
            f"{label}: pip_from: a second start does not start a second loop", f"{[p['cmd'] for p in p2]}")
    # expiry, the helper by hand (what the loop runs), pip through the user's config
    helper = f"{home}/.local/bin/sgc-codeartifact-refresh"
    e = studio_env(region)
    pip = not env.args.no_pip
    steps = [pip_download_step("pip-before-expiry", "sagemaker-user", home)] if pip else []
    steps.append({"name": "expire", "kind": "expire"})
    steps += [pip_download_step("pip-expired", "sagemaker-user", home)] if pip else []
    steps.append(run_step("by-hand", [helper], user="sagemaker-user", env=e))
    steps += [pip_download_step("pip-after-refresh", "sagemaker-user", home)] if pip else []
    res2 = m.boot(steps, label)
    r1, r2, bh, r3 = (step_result(res2, n) for n in ("pip-before-expiry", "pip-expired", "by-hand",
                                                     "pip-after-refresh"))
    check_pip_downloads(env, label, "sagemaker-user's pip downloads through ~/.config/pip/pip.conf", r1, r2)
    tok2 = m.latest_token()
    R.check(bh["rc"] == 0 and tok2 != tok and tok2 in (m.read(f"{home}/.config/pip/pip.conf") or ""),
            f"{label}: pip_from: after expiry, the helper (what the loop runs) writes the new token",
            f"exit {bh['rc']}: {short(bh['stderr'])}")
    if pip:
        R.check(r3["rc"] == 0, f"{label}: pip_from: pip works again after the refresh", short(r3["stderr"]))
    # the app restarts: a new container (the old loop is gone, its pid file stays in the home)
    target = "/opt/sgc-deploy/" + s.name
    res3 = m.boot([run_step("restart", [target], user="sagemaker-user", env=e)], label)
    rs = step_result(res3, "restart")
    loops = refresh_loops(rs["processes"])
    R.check(rs["rc"] == 0 and len(loops) == 1, f"{label}: pip_from: after an app restart, one refresh loop again",
            f"exit {rs['rc']}, loops {[p['cmd'] for p in loops]}")
    # without /opt/ml/metadata the helper falls back to AWS_REGION and sts get-caller-identity
    meta = m.path("/opt/ml/metadata/resource-metadata.json")
    saved = m.read("/opt/ml/metadata/resource-metadata.json")
    os.unlink(meta)
    try:
        res4 = m.boot([run_step("no-metadata", [helper], user="sagemaker-user", env=e)], label)
    finally:
        _write(meta, saved)
    nm = step_result(res4, "no-metadata")
    sts = calls_of(res4, "sts", "GetCallerIdentity")
    R.check(nm["rc"] == 0 and len(sts) == 1 and m.latest_token() in (m.read(f"{home}/.config/pip/pip.conf") or ""),
            f"{label}: pip_from: without resource metadata, the helper uses AWS_REGION and GetCallerIdentity",
            f"exit {nm['rc']}, {len(sts)} GetCallerIdentity calls: {short(nm['stderr'])}")


def check_pip_downloads(env, label, what, before, expired):
    if env.args.no_pip:
        R.skip(f"{label}: pip_from: {what}", env.args.no_pip)
        return
    R.check(before["rc"] == 0, f"{label}: pip_from: {what}", short(before["stderr"] + before["stdout"]))
    R.check(expired["rc"] != 0, f"{label}: pip_from: the stub's index refuses an expired token (control)")


# ---------------------------------------------------------------------------
# remote access: the connect script and ssh
# ---------------------------------------------------------------------------

def ssh_setup(env, m):
    """Keys and an sshd config for the fake space; the client key for the laptop's root."""
    d = m.path("/etc/sgc-deploy")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{d}/ssh_host_ed25519_key"], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{m.dir}/client_key",
                    "-C", "sgc-deploy-test"], check=True)
    with open(f"{m.dir}/client_key.pub") as f:
        _write(f"{d}/authorized_keys", f.read(), 0o644)
    _write(f"{d}/sshd_config",
           "# the fake space's SSH server, run by session-manager-plugin as `sshd -i`\n"
           "HostKey /etc/sgc-deploy/ssh_host_ed25519_key\n"
           "AuthorizedKeysFile /etc/sgc-deploy/authorized_keys\n"
           "AllowUsers sagemaker-user\nPermitRootLogin no\nPasswordAuthentication no\n"
           "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes yes\nPidFile none\n"
           "LogLevel VERBOSE\n")
    os.chmod(f"{d}/ssh_host_ed25519_key", 0o600)
    _mkdir(m.path("/root/.ssh"), 0o700)
    shutil.copy2(f"{m.dir}/client_key", m.path("/root/.ssh/sgc-test-key"))
    os.chmod(m.path("/root/.ssh/sgc-test-key"), 0o600)
    shutil.copy2(os.path.join(HERE, "fakes/session-manager-plugin"), m.path("/usr/local/bin/session-manager-plugin"))


def install_command(cfg_text):
    m = re.search(r"^#\s*(install -D -m 755 (\S+) (~/\S+))\s*$", cfg_text, re.M)
    return (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)


def run_remote(env, build, space, mutate_config=None, app_state="Absent", label_suffix=""):
    """The laptop: install the connect script where the config says, ssh through it."""
    label = f"{build.name}/remote/{space}{label_suffix}"
    cfg_path = os.path.join(build.dir, "remote", f"{space}.ssh_config")
    with open(cfg_path) as f:
        cfg = f.read()
    if mutate_config:
        cfg = mutate_config(cfg)
    # the developer: the stand-alone managed policy the template exports for this space
    dev = next((i for i in build.identities.values() if i.kind == "developer" and
                re.sub(r"[^a-z0-9]", "", space.lower()) in i.id.lower()), None)
    m = Machine(env, build, "laptop", label, dev.id if dev else None)
    ssh_setup(env, m)
    shutil.copytree(os.path.join(build.dir, "remote"), m.path("/root/build/remote"))
    _write(m.path("/root/build/remote/" + os.path.basename(cfg_path)), cfg, 0o644)
    alias = re.search(r"^Host\s+(\S+)", cfg, re.M).group(1)
    cmd, src, dst = install_command(cfg)
    R.check(cmd is not None, f"{label}: the ssh_config says where to install the connect script")
    if app_state != "Absent":
        w = build.world
        sp = next(p for p in (w.props(x) for x in w.of_type("AWS::SageMaker::Space")) if p["SpaceName"] == space)
        key = f"{sp['DomainId']}/{space}/{sp['SpaceSettings']['AppType']}/default"
        with open(m.state, "w") as f:
            json.dump({"apps": {key: {"Status": app_state}}}, f)
    e = {"HOME": "/root", "USER": "root", "LOGNAME": "root", "LANG": "C.UTF-8",
         "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    cfg_in = f"/root/build/remote/{os.path.basename(cfg_path)}"
    steps = [run_step("install", ["/bin/bash", "-c", cmd or "false"], env=e, cwd="/root/build"),
             run_step("ssh-G", ["ssh", "-G", "-F", cfg_in, alias], env=e),
             run_step("check", ["/bin/bash", "-c", f"{dst.replace('~', '$HOME', 1)} --check"] if dst else ["false"],
                      env=e, timeout=120),
             run_step("ssh", ["ssh", "-F", cfg_in, "-i", "/root/.ssh/sgc-test-key", "-o", "BatchMode=yes",
                              alias, "true"], env=e, timeout=180)]
    res = m.boot(steps, label)
    build.calls_logs.append(m)
    inst, g, chk, ssh = (step_result(res, n) for n in ("install", "ssh-G", "check", "ssh"))
    R.check(inst["rc"] == 0 and m.stat(dst.replace("~", "/root", 1) if dst else "/nonexistent") is not None,
            f"{label}: `{cmd}` installs the connect script", short(inst["stderr"]))
    gout = g["stdout"]
    R.check(g["rc"] == 0 and "user sagemaker-user" in gout and "proxycommand" in gout,
            f"{label}: ssh -G accepts the config", short(g["stderr"]))
    R.check(chk["rc"] == 0, f"{label}: connect script --check exits 0", short(chk["stderr"]))
    ssh_calls = calls_during(res, ssh)
    R.scripts.append((f"{label} (ssh)", ssh["rc"], ssh.get("seconds", 0), len(ssh_calls)))
    R.note(f"{label}: ssh exit {ssh['rc']}, {ssh.get('seconds', 0):.2f} s, {len(ssh_calls)} calls logged")
    ok = R.check(ssh["rc"] == 0, f"{label}: ssh -F <generated config> {alias} true exits 0",
                 f"exit {ssh['rc']}: {short(ssh['stderr'])}")
    space_arn = build.world.outputs().get(next((k for k in build.world.outputs()
                                                if k.lower() == re.sub(r'[^a-z0-9]', '', space.lower()) + "spacearn"),
                                               ""), "")
    starts = calls_of(res, "sagemaker", "StartSession")
    R.check(any(c["params"].get("ResourceIdentifier") == space_arn and c["status"] == 200 for c in starts),
            f"{label}: StartSession reached the stub with the space ARN", f"{[c['params'] for c in starts]}")
    for op in ("DescribeSpace", "DescribeApp"):
        R.check(bool(calls_of(res, "sagemaker", op)), f"{label}: the connect script called {op}")
    if app_state == "Absent":
        R.check(len(calls_of(res, "sagemaker", "CreateApp")) == 1,
                f"{label}: a stopped space's app is created once (CreateApp)")
    rec = m.read("/var/tmp/sgc-deploy/plugin.json")
    if R.check(rec is not None, f"{label}: session-manager-plugin was started with a session"):
        rec = json.loads(rec)
        sessions = m.stub_state().get("sessions", [])
        resp = json.loads(rec.get("response") or "{}")
        want = {k: sessions[-1][k] for k in ("SessionId", "StreamUrl", "TokenValue")} if sessions else None
        R.check(want is not None and resp == want, f"{label}: the plugin got the stub's SessionId, StreamUrl, "
                f"TokenValue in AWS_SSM_START_SESSION_RESPONSE", f"got {short(json.dumps(resp), 120)}")
        R.check(rec["argv"] == ["AWS_SSM_START_SESSION_RESPONSE", build.world.region, "StartSession"] and
                not any(want and want["TokenValue"] in a for a in rec["argv"]),
                f"{label}: the plugin's command line names the variable, not the token", f"{rec['argv']}")
    return ok, ssh


# ---------------------------------------------------------------------------
# IAM: every call has a grant; what the template implies; `sgc iam`
# ---------------------------------------------------------------------------

def iam_calls(build, template=None, quiet=False):
    world = iam.World(template or build.template, build.stack)
    identities = iam.identities_from_template(world)
    calls = [c for m in build.calls_logs for c in m.log_lines()
             if c.get("service") and c.get("status", 0) < 500 and c.get("access_key") in build.idmap]
    findings, n = iam.check_calls(world, identities, calls, build.idmap)
    if not quiet:
        R.calls += len(calls)
        R.requests += n
    return findings, len(calls), n


def endpoint_calls(build, template=None):
    world = iam.World(template or build.template, build.stack)
    identities = iam.identities_from_template(world)
    # Only machines inside the VPC go through its endpoints: not the developer's laptop.
    calls = [c for m in build.calls_logs if m.kind != "laptop" for c in m.log_lines()
             if c.get("service") and c.get("status", 0) < 500 and c.get("access_key") in build.idmap]
    return iam.check_endpoint_calls(world, identities, calls, build.idmap)


def wrong_account_in_endpoint_policy(template, service):
    """The policy of the endpoint of `service` admits another account's principals only."""
    t = copy.deepcopy(template)
    n = 0
    for res in t["Resources"].values():
        props = res.get("Properties") or {}
        if res["Type"] != "AWS::EC2::VPCEndpoint" or not props.get("PolicyDocument"):
            continue
        if not json.dumps(props.get("ServiceName")).endswith("." + service + '"}'):
            continue
        for st in props["PolicyDocument"]["Statement"]:
            eq = (st.get("Condition") or {}).get("StringEquals") or {}
            if "aws:PrincipalAccount" in eq:
                eq["aws:PrincipalAccount"] = "210987654321"
                n += 1
    return t, n


def iam_static(build, template=None):
    world = iam.World(template or build.template, build.stack)
    identities = iam.identities_from_template(world)
    rows, findings = iam.static_needs(world, identities)
    return findings + iam.check_rows(world, identities, rows), rows


def sgc_iam(env, build):
    """`sgc iam FILE --format json`, when the compiler has it."""
    p = subprocess.run([env.args.sgc, "iam", build.src, "--format", "json"], capture_output=True, text=True,
                       cwd=build.repo)
    if p.returncode != 0:
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def check_sgc_iam(build, doc, template=None):
    world = iam.World(template or build.template, build.stack)
    identities = iam.identities_from_sgc_iam(world, doc)
    needs = doc.get("needs", [])
    f = iam.check_rows(world, identities, needs)
    f += iam.check_rows(world, identities, doc.get("forbidden", []), want_allowed=False)
    f += iam.check_coverage(world, identities, needs)
    calls = [c for m in build.calls_logs for c in m.log_lines()
             if c.get("service") and c.get("status", 0) < 500 and c.get("access_key") in build.idmap]
    # identities of sgc iam are named like the template's roles/policies
    f += iam.check_calls_have_rows(world, calls, build.idmap, needs)
    return f


# ---------------------------------------------------------------------------
# mutations
# ---------------------------------------------------------------------------

_OPT = r'(?:"\$\{\w+\[@\]\}"|--[a-z-]+ (?:"[^"]*"|[^\s")]+))'
OP_AFTER_OPTIONS = re.compile(r'(aws codeartifact) (get-[a-z-]+|"\$\{?\w+\}?") ((?:' + _OPT + r' )*' + _OPT + r')')


def mutate_pip_from(text):
    """Put the CodeArtifact operation back after its options."""
    if re.search(r'"\$\{ca\[@\]\}" get-authorization-token', text) and \
            re.search(r"ca=\(aws codeartifact --", text):
        return text, "already in the mutated form (options before the operation)"
    new, n = OP_AFTER_OPTIONS.subn(r"\1 \3 \2", text)
    return new, (f"{n} calls rewritten" if n else None)


def mutate_proxycommand(cfg):
    return re.sub(r"^(\s*ProxyCommand\s+)(?:~|/root|\$HOME|%d)(/\S+)", r"\1%d\2", cfg, flags=re.M)


def drop_action(template, action, role_filter):
    """Remove action from every statement of the roles matching role_filter (their inline
    and attached policies) and from key-policy statements; drop emptied statements."""
    t = copy.deepcopy(template)
    world = iam.World(t, "x")
    roles = [lid for lid in world.of_type("AWS::IAM::Role") if role_filter(lid)]
    names = {world.ref(r) for r in roles}
    removed = 0

    def strip(doc):
        nonlocal removed
        keep = []
        for st in iam._as_list(doc.get("Statement")):
            acts = iam._as_list(st.get("Action"))
            new = [a for a in acts if a.lower() != action.lower()]
            removed += len(acts) - len(new)
            if acts and not new:
                continue
            if "Action" in st:
                st["Action"] = new
            keep.append(st)
        doc["Statement"] = keep

    for lid, res in t["Resources"].items():
        props = res.get("Properties") or {}
        if lid in roles:
            for pol in props.get("Policies") or []:
                strip(pol["PolicyDocument"])
        elif res["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            attached = [world.resolve(x) for x in props.get("Roles") or []]
            if any(a in names for a in attached):
                strip(props["PolicyDocument"])
        elif res["Type"] == "AWS::KMS::Key" and props.get("KeyPolicy"):
            strip(props["KeyPolicy"])
    return t, removed


def run_mutations(env, builds, baseline):
    """Each mutation runs its layer with a quiet report (its failures are the point)."""
    global R
    print("== mutations: each must make its layer fail", flush=True)
    main_report, R = R, Report(quiet=True)
    try:
        results = _mutations(env, builds, baseline)
    finally:
        R = main_report
    for name, how, killed, base_ok, detail in results:
        disc = "" if base_ok else " (the unmutated layer fails too: not yet discriminating)"
        R.check(killed, f"mutation {name} [{how}]: the layer fails with the expected reason{disc}", detail)


def _mutations(env, builds, baseline):
    by = {b.name: b for b in builds}
    results = []
    # 1. scripts: pip_from with the operation after its options, on a notebook and in Studio
    targets = []
    for bname in ("private-notebook-codeartifact", "studio-all"):
        b = by.get(bname)
        s = next((x for x in (b.scripts if b else []) if "pip_from" in x.fragments), None)
        if s:
            targets.append((b, s))
    outcomes, hows = [], []
    for b, s in targets:
        text, how = mutate_pip_from(s.text)
        hows.append(how)
        label = f"{s.label} [mutated]"
        if s.host == "notebook":
            m = Machine(env, b, "notebook", label, s.identity, notebook_metadata(b, s), hosts=ca_hosts(b))
            step = run_step("start", ["/opt/sgc-deploy/" + s.name], env=notebook_env())
        else:
            m = Machine(env, b, "studio", label, s.identity, studio_metadata(b, s), hosts=ca_hosts(b),
                        code_editor=s.host == "CodeEditor")
            step = run_step("start", ["/opt/sgc-deploy/" + s.name], user="sagemaker-user",
                            env=studio_env(b.world.region))
        _write(m.path("/opt/sgc-deploy/" + s.name), text, 0o755)
        res = m.boot([step], label)
        st = step_result(res, "start")
        failed = st["rc"] != 0 and not calls_of(res, "codeartifact", "GetAuthorizationToken")
        reason = "Invalid choice" in st["stderr"] or "argument operation" in st["stderr"]
        outcomes.append((failed and reason, f"{s.host}: exit {st['rc']}: {short(st['stderr'], 100)}"))
        if not env.args.keep:
            m.cleanup()
    if targets:
        results.append(("scripts: pip_from operation after its options (notebook, Studio)",
                        "; ".join(str(h) for h in hows), all(k for k, _ in outcomes), baseline.get("pip_from"),
                        " | ".join(d for _, d in outcomes)))
    # 2. ssh: ProxyCommand %d/...
    b = next((x for x in builds if x.remotes and x.name == "studio-remote-access"), None)
    if b and not env.args.no_ssh:
        space = b.remotes[0]
        with open(os.path.join(b.dir, "remote", f"{space}.ssh_config")) as f:
            cfg = f.read()
        mutated = mutate_proxycommand(cfg)
        ok, ssh = run_remote(env, b, space, mutate_config=mutate_proxycommand, app_state="InService",
                             label_suffix=" [mutated]")
        reason = "%d" in ssh["stderr"] or "unknown key" in ssh["stderr"]
        results.append(("ssh: ProxyCommand %d/...", "already %d" if mutated == cfg else "rewritten",
                        (not ok) and reason, baseline.get("ssh"), f"exit {ssh['rc']}: {short(ssh['stderr'], 120)}"))
    # 3. IAM: studio-vpc-only's execution role without kms:CreateGrant
    b = by.get("studio-vpc-only")
    if b and b.build_ok:
        t, n = drop_action(b.template, "kms:CreateGrant", lambda lid: "ExecutionRole" in lid)
        f, _rows = iam_static(b, t)
        results.append(("IAM: kms:CreateGrant dropped from studio-vpc-only's execution role",
                        f"{n} grants removed" if n else "no kms:CreateGrant to remove",
                        any("kms:CreateGrant" in x for x in f), baseline.get("kms"), short("; ".join(f), 160)))
    # 4. calls: the notebook role without codeartifact:GetRepositoryEndpoint
    b = by.get("private-notebook-codeartifact")
    if b and b.build_ok:
        t, n = drop_action(b.template, "codeartifact:GetRepositoryEndpoint", lambda lid: "Notebook" in lid)
        f, _c, _n = iam_calls(b, t, quiet=True)
        results.append(("calls: codeartifact:GetRepositoryEndpoint dropped from the notebook role",
                        f"{n} grants removed", any("GetRepositoryEndpoint" in x for x in f),
                        baseline.get("calls"), short("; ".join(f), 160)))
    # 5. endpoint policies: the CodeArtifact API endpoint admits another account only
    b = by.get("private-notebook-codeartifact")
    if b and b.build_ok:
        t, n = wrong_account_in_endpoint_policy(b.template, "codeartifact.api")
        f, _n = endpoint_calls(b, t)
        results.append(("endpoints: codeartifact.api's policy admits another account's principals",
                        f"{n} conditions rewritten", any("codeartifact.api denies" in x for x in f),
                        baseline.get("endpoints"), short("; ".join(f), 160)))
    return results


# ---------------------------------------------------------------------------

def remove_scratch(work):
    """Delete the scratch directory, never across a mount point: each machine's
    mounts lived in its own mount namespace, gone with it; refuse otherwise."""
    for dirpath, dirs, _files in os.walk(work):
        for d in list(dirs):
            if os.path.ismount(os.path.join(dirpath, d)):
                print(f"deploy: {os.path.join(dirpath, d)} is a mount point; not deleting {work}", file=sys.stderr)
                return
            if os.path.islink(os.path.join(dirpath, d)):
                dirs.remove(d)
    subprocess.run(["rm", "-rf", "--one-file-system", work], check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sgc", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--real-aws", required=True)
    ap.add_argument("--bind", action="append", help="another host directory to bind read-only")
    ap.add_argument("--no-ssh")
    ap.add_argument("--no-sudo")
    ap.add_argument("--no-pip")
    ap.add_argument("--only", action="append")
    ap.add_argument("--no-mutations", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    args.sgc = os.path.abspath(args.sgc)
    args.repo = os.path.abspath(args.repo)
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="sgc-deploy.")
    try:
        env = Env(args, work)
        srcs = sorted(os.path.join(args.repo, "examples", n) for n in os.listdir(os.path.join(args.repo, "examples"))
                      if n.endswith(".sgl"))
        srcs += sorted(os.path.join(HERE, "fixtures", n) for n in os.listdir(os.path.join(HERE, "fixtures"))
                       if n.endswith(".sgl"))
        if args.only:
            srcs = [s for s in srcs if os.path.splitext(os.path.basename(s))[0] in args.only]
        builds = []
        for src in srcs:
            b = Build(args.sgc, os.path.relpath(src, args.repo), os.path.join(work, "build"), args.repo)
            R.check(b.build_ok, f"{b.name}: sgc build", short(b.build_err))
            builds.append(b)
        nscripts = sum(len(b.scripts) for b in builds)
        nremote = sum(len(b.remotes) for b in builds)
        print(f"== {len(builds)} builds: {nscripts} lifecycle scripts, {nremote} connect scripts", flush=True)
        for b in builds:
            for s in b.scripts:
                R.check(s.host is not None and s.identity is not None,
                        f"{s.label}: embedded in the template ({s.host}, runs as {s.identity})")
        jobs = []
        for b in builds:
            for s in b.scripts:
                if s.host == "notebook":
                    jobs.append((run_notebook, env, b, s))
                elif s.host in ("CodeEditor", "JupyterLab"):
                    jobs.append((run_studio, env, b, s))
        baseline = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = [ex.submit(fn, *a) for fn, *a in jobs]
            for b in builds:
                for space in b.remotes:
                    if args.no_ssh:
                        R.skip(f"{b.name}/remote/{space}: ssh end to end", args.no_ssh)
                        continue
                    futs.append(ex.submit(lambda b=b, space=space: run_remote(env, b, space)))
            for f in futs:
                try:
                    f.result()
                except Exception as e:  # a harness bug: report it, keep going
                    import traceback
                    traceback.print_exc()
                    R.check(False, "harness", repr(e))
        print("== IAM: every logged call allowed for the identity that made it", flush=True)
        for b in builds:
            if not b.build_ok or not b.calls_logs:
                continue
            f, ncalls, nreq = iam_calls(b)
            R.check(not f, f"{b.name}: IAM: {ncalls} logged calls ({nreq} IAM requests) allowed", "; ".join(f[:6]))
            if b.name == "private-notebook-codeartifact":
                baseline["calls"] = not f
        print("== endpoint policies: every logged call allowed through its endpoint", flush=True)
        for b in builds:
            if not b.build_ok or not b.calls_logs:
                continue
            f, nreq = endpoint_calls(b)
            R.check(not f, f"{b.name}: endpoint policies: {nreq} requests through endpoints allowed",
                    "; ".join(f[:6]))
            if b.name == "private-notebook-codeartifact":
                baseline["endpoints"] = not f
        print("== IAM: what the templates imply (service-side needs)", flush=True)
        for b in builds:
            if not b.build_ok:
                continue
            f, rows = iam_static(b)
            npol = sum(len(i.statements) for i in b.identities.values())
            R.check(not f, f"{b.name}: IAM: {len(b.identities)} identities, {npol} statements, "
                    f"{len(rows)} service-side needs allowed", "; ".join(f[:4]))
            if b.name == "studio-vpc-only":
                baseline["kms"] = not f
        print("== IAM: sgc iam --format json", flush=True)
        for b in builds:
            if not b.build_ok:
                continue
            doc = sgc_iam(env, b)
            if doc is None:
                R.skip(f"{b.name}: sgc iam", "this sgc has no working `iam` command yet; the checks run on "
                       "tests/deploy/fixtures/iam-sample.json in test_iam.py")
                continue
            f = check_sgc_iam(b, doc)
            R.check(not f, f"{b.name}: sgc iam: needs allowed, forbidden denied, every Allow covered, "
                    f"every logged call has a row", "; ".join(f[:6]))
        baseline["pip_from"] = not any(x.startswith(("private-notebook-codeartifact/analyst-on-start.sh: exits 0",
                                                     "studio-all/lab-code-editor.sh: exits 0")) for x in R.failures)
        baseline["ssh"] = not any("studio-remote-access/remote" in x for x in R.failures)
        if not args.no_mutations:
            run_mutations(env, builds, baseline)
        total = time.monotonic() - t0
        print("== per script: exit status, run time, calls logged", flush=True)
        for label, rc, sec, calls in R.scripts:
            print(f"     {label}: exit {rc}, {sec:.2f} s, {calls} calls", flush=True)
        print(f"deploy: {R.passed + R.failed} checks: {R.passed} passed, {R.failed} failed, {R.skipped} skipped; "
              f"{len(R.scripts)} scripts executed ({R.commands} commands in {R.boots} fake-machine boots), "
              f"{R.calls} calls logged, {R.requests} IAM requests evaluated; "
              f"{total:.1f} s", flush=True)
        return 1 if R.failed else 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            remove_scratch(work)


if __name__ == "__main__":
    sys.exit(main())
