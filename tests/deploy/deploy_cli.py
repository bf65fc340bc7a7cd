#!/usr/bin/env python3
"""tests/deploy/deploy_cli.py - `sgc deploy` with the real AWS CLI against the
loopback stub's deploy world (stub.py --deploy), asserting the exact calls.

  deploy_cli.py --sgc SGC --real-aws AWS --repo REPO [--keep]

What runs: every example built fresh and deployed (a new stack: CREATE),
deployed again (UPDATE with an empty change set, nothing executed),
`--preview` of a change (nothing executed, the review table printed), a
template over 51,200 bytes (refused without --s3-bucket before any call;
with it, uploaded to the stub's S3 and created from its TemplateURL), two
stages side by side, and tools/ci-environments.sh (the script docs/ci.md's
workflow runs) from a fresh clone. Mutations that must fail: parameters as
a file:// JSON file (aws-cli v1 refuses it), a capability left out, a
TemplateBody over the limit, an unknown and a missing parameter, a manifest
that no longer matches its template.

Only 127.0.0.1 is used. Standard library only.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Run:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="sgc-deploy-cli.")
        self.passed = self.failed = 0
        self.log = os.path.join(self.work, "stub.jsonl")
        self.state = os.path.join(self.work, "stub-state.json")
        port_file = os.path.join(self.work, "port")
        self.stub = subprocess.Popen([sys.executable, os.path.join(HERE, "stub.py"), "--deploy",
                                      "--port-file", port_file, "--state", self.state, "--log", self.log])
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            self.endpoint = f"http://127.0.0.1:{int(f.read())}"
        # the CLI as a deploy job would run it, pointed at the stub: cloudformation through
        # --endpoint-url, S3 (which `deploy --s3-bucket` builds without it) through
        # AWS_ENDPOINT_URL_S3
        self.aws = os.path.join(self.work, "aws")
        with open(self.aws, "w") as f:
            f.write("#!/bin/sh\nexec %s --endpoint-url %s \"$@\"\n" % (shq(args.real_aws), self.endpoint))
        os.chmod(self.aws, 0o755)
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.work, "LANG": "C.UTF-8",
                    "SGC_AWS": self.aws, "AWS_ACCESS_KEY_ID": "AKIDDEPLOYTEST",
                    "AWS_SECRET_ACCESS_KEY": "sgc-deploy-test-secret-key", "AWS_CONFIG_FILE": "/dev/null",
                    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
                    "AWS_MAX_ATTEMPTS": "1", "AWS_ENDPOINT_URL_S3": self.endpoint}

    def close(self):
        self.stub.terminate()
        self.stub.wait()
        if self.args.keep:
            print(f"deploy-cli: kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL deploy-cli {label}" + (f": {detail}" if detail else ""))
        return ok

    def calls(self):
        """Every call the stub logged so far, then forget them."""
        out = []
        if os.path.exists(self.log):
            with open(self.log) as f:
                out = [json.loads(line) for line in f]
            os.unlink(self.log)
        return out

    def world(self):
        with open(self.state) as f:
            return json.load(f)

    def sh(self, argv, cwd=None, env=None):
        return subprocess.run(argv, cwd=cwd or self.work, env=env or self.env, capture_output=True,
                              text=True, timeout=300)

    def sgc(self, *a, cwd=None):
        return self.sh([self.args.sgc, *a], cwd=cwd)


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def ops(calls):
    return [c["operation"] for c in calls]


def manifest_of(template):
    base = os.path.splitext(template)[0]
    with open(base + ".deploy.json") as f:
        return json.load(f)


def change_set_call(calls):
    return next((c for c in calls if c["operation"] == "CreateChangeSet"), None)


def params_sent(cs):
    """CreateChangeSet's Parameters (query form) as {key: value}."""
    p = cs["params"]
    out = {}
    n = 1
    while f"Parameters.member.{n}.ParameterKey" in p:
        out[p[f"Parameters.member.{n}.ParameterKey"]] = p.get(f"Parameters.member.{n}.ParameterValue")
        n += 1
    return out


def caps_sent(cs):
    p = cs["params"]
    return [p[k] for k in sorted((k for k in p if k.startswith("Capabilities.member.")),
                                  key=lambda k: int(k.rsplit(".", 1)[1]))]


CREATE = ["DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DescribeStacks"]
EMPTY_UPDATE = ["DescribeStacks", "GetTemplateSummary", "CreateChangeSet", "DescribeChangeSet"]


def check_create(r, label, res, calls, template, kind="CREATE"):
    m = manifest_of(template)
    r.check(res.returncode == 0, f"{label}: exit 0", f"exit {res.returncode}: {res.stderr[-600:]}")
    want = CREATE if kind == "CREATE" else ["DescribeStacks", "GetTemplateSummary"] + CREATE[1:]
    r.check(ops(calls) == want, f"{label}: calls", f"{ops(calls)} != {want}")
    cs = change_set_call(calls)
    if not r.check(cs is not None, f"{label}: a change set"):
        return
    p = cs["params"]
    r.check(p.get("ChangeSetType") == kind and p.get("StackName") == m["stack_name"] and cs["region"] == m["region"],
            f"{label}: {kind} of stack {m['stack_name']} in {m['region']}",
            f"{p.get('ChangeSetType')} {p.get('StackName')} {cs['region']}")
    r.check(caps_sent(cs) == m["capabilities"], f"{label}: capabilities", f"{caps_sent(cs)} != {m['capabilities']}")
    r.check(params_sent(cs) == m["parameters"], f"{label}: parameters", f"{params_sent(cs)} != {m['parameters']}")
    size = os.path.getsize(template)
    r.check(p.get("TemplateBody", {}).get("bytes") == size, f"{label}: TemplateBody is the template",
            f"{p.get('TemplateBody')} vs {size} bytes")
    st = r.world()["stacks"].get(f"{m['region']}/{m['stack_name']}", {})
    want_status = "CREATE_COMPLETE" if kind == "CREATE" else "UPDATE_COMPLETE"
    r.check(st.get("StackStatus") == want_status, f"{label}: stack {want_status}", st.get("StackStatus", "no stack"))


def examples(r):
    """Every example: a fresh build and deploy, then the same again (nothing to change)."""
    srcs = sorted(n for n in os.listdir(os.path.join(r.args.repo, "examples")) if n.endswith(".sgl"))
    deployed = set()
    for n in srcs:
        name = n[:-4]
        src = os.path.join(r.args.repo, "examples", n)
        out = os.path.join(r.work, "ex", name, "stack.json")
        r.calls()
        res = r.sgc("deploy", src, "-o", out)
        m = manifest_of(out) if os.path.exists(out) else {}
        # two examples share an environment name and Region (one stack): the second updates it
        kind = "UPDATE" if f"{m.get('region')}/{m.get('stack_name')}" in deployed else "CREATE"
        deployed.add(f"{m.get('region')}/{m.get('stack_name')}")
        check_create(r, f"{name} {kind.lower()}", res, r.calls(), out, kind)
        res = r.sgc("deploy", out)
        calls = r.calls()
        r.check(res.returncode == 0 and "No changes to deploy" in res.stdout, f"{name} again: exit 0, no changes",
                f"exit {res.returncode}: {res.stdout[-300:]} {res.stderr[-300:]}")
        r.check(ops(calls) == EMPTY_UPDATE, f"{name} again: calls (nothing executed)", f"{ops(calls)}")
        cs = change_set_call(calls)
        r.check(cs is not None and cs["params"].get("ChangeSetType") == "UPDATE", f"{name} again: UPDATE")
    return srcs


def preview(r):
    """--preview of a change: the table, nothing executed, the stack as it was."""
    src = os.path.join(r.args.repo, "examples", "private-notebook-codeartifact.sgl")
    out = os.path.join(r.work, "ex", "private-notebook-codeartifact", "stack.json")
    m = manifest_of(out)
    before = r.world()["stacks"][f"{m['region']}/{m['stack_name']}"]
    r.calls()
    res = r.sgc("deploy", src, "-o", out, "-D", "instance_type=ml.t3.large", "--preview")
    calls = r.calls()
    r.check(res.returncode == 0, "preview: exit 0", res.stderr[-600:])
    r.check(ops(calls) == EMPTY_UPDATE + ["DescribeChangeSet"], "preview: calls (nothing executed)", f"{ops(calls)}")
    cs = change_set_call(calls)
    r.check(cs is not None and params_sent(cs).get("InstanceType") == "ml.t3.large", "preview: the new value sent")
    r.check("ACTION" in res.stdout and "REPLACEMENT" in res.stdout and "change(s)" in res.stdout,
            "preview: the review table", res.stdout[-400:])
    r.check("execute-change-set" in res.stdout and "sgc diff" in res.stdout, "preview: says how to apply and diff")
    after = r.world()["stacks"][f"{m['region']}/{m['stack_name']}"]
    r.check(after["Parameters"] == before["Parameters"] and after["Template"] == before["Template"],
            "preview: the stack unchanged")
    # the twin: the same without --preview executes
    res = r.sgc("deploy", src, "-o", out, "-D", "instance_type=ml.t3.large")
    calls = r.calls()
    r.check(res.returncode == 0 and "ExecuteChangeSet" in ops(calls), "deploy of the previewed change executes",
            f"{ops(calls)}")
    after = r.world()["stacks"][f"{m['region']}/{m['stack_name']}"]
    r.check(after["Parameters"].get("InstanceType") == "ml.t3.large", "deploy: the stack has the new value")


def big(r):
    """Over 51,200 bytes: refused before any call without --s3-bucket; through S3 with it."""
    src = os.path.join(HERE, "fixtures", "cfn", "big-template.sgl")
    out = os.path.join(r.work, "big", "stack.json")
    r.calls()
    res = r.sgc("deploy", src, "-o", out)
    calls = r.calls()
    r.check(res.returncode == 2 and "--s3-bucket" in res.stderr and "51200" in res.stderr,
            "big without --s3-bucket: exit 2 saying so", f"exit {res.returncode}: {res.stderr[-300:]}")
    r.check(calls == [], "big without --s3-bucket: no call made", f"{ops(calls)}")
    size = os.path.getsize(out)
    m = manifest_of(out)
    r.check(size > 51200 and m["needs_s3_upload"] is True and m["template_bytes"] == size,
            "big: the manifest says it needs S3", f"{size} {m}")
    res = r.sgc("deploy", out, "--s3-bucket", "sgc-artifacts", "--s3-prefix", "stacks")
    calls = r.calls()
    r.check(res.returncode == 0, "big with --s3-bucket: exit 0", res.stderr[-600:])
    with open(out, "rb") as f:
        md5 = hashlib.md5(f.read()).hexdigest()
    key = f"stacks/{md5}.template"
    want = ["DescribeStacks", "HeadObject", "PutObject", "CreateChangeSet", "DescribeChangeSet",
            "ExecuteChangeSet", "DescribeStacks"]
    r.check(ops(calls) == want, "big: calls", f"{ops(calls)}")
    put = next((c for c in calls if c["operation"] == "PutObject"), {"params": {}})
    r.check(put["params"].get("Bucket") == "sgc-artifacts" and put["params"].get("Key") == key
            and put["params"].get("_body", {}).get("bytes") == size, "big: PutObject of the template",
            f"{put['params']}")
    cs = change_set_call(calls) or {"params": {}}
    url = cs["params"].get("TemplateURL", "")
    r.check(url.endswith(f"/sgc-artifacts/{key}") and "TemplateBody" not in cs["params"],
            "big: CreateChangeSet from the uploaded TemplateURL", url)
    r.check(caps_sent(cs) == m["capabilities"], "big: capabilities")


# names unique only inside their SageMaker domain, which has the stage in its own name
DOMAIN_SCOPED = {"UserProfileName", "SpaceName", "AppName", "OwnerUserProfileName"}


def stages(r):
    """--stage dev and --stage prod of one environment: two stacks side by side."""
    src = os.path.join(r.args.repo, "examples", "studio-vpc-only.sgl")
    outs = {}
    for stage in ("dev", "prod"):
        r.calls()
        res = r.sgc("deploy", src, "--stage", stage, cwd=os.path.join(r.work))
        out = os.path.join(r.work, "out", f"{{}}-{stage}", "stack.json")
        calls = r.calls()
        cs = change_set_call(calls) or {"params": {}}
        name = cs["params"].get("StackName", "")
        outs[stage] = os.path.join(r.work, "out", name, "stack.json")
        r.check(res.returncode == 0 and name.endswith(f"-{stage}") and ops(calls) == CREATE,
                f"stage {stage}: a new stack <env>-{stage}", f"exit {res.returncode} {name} {ops(calls)} "
                f"{res.stderr[-300:]}")
        r.check(os.path.exists(outs[stage]) and manifest_of(outs[stage])["stage"] == stage,
                f"stage {stage}: built to out/<stack>/ with the stage in its manifest", out)
    stacks = [k for k in r.world()["stacks"] if k.endswith("-dev") or k.endswith("-prod")]
    r.check(len(stacks) == 2, "stages: two stacks", f"{stacks}")
    names = {}
    for stage, out in outs.items():
        with open(out) as f:
            t = json.load(f)
        names[stage] = {json.dumps(v, sort_keys=True) for r_ in t["Resources"].values()
                        for k, v in (r_.get("Properties") or {}).items()
                        if k.endswith("Name") and k not in DOMAIN_SCOPED and isinstance(v, str)}
    both = names.get("dev", set()) & names.get("prod", set())
    r.check(not both, "stages: no physical name shared by the two stacks", f"{sorted(both)[:5]}")


def mutations(r):
    """What must fail, fails: each the twin of a passing deploy above."""
    out = os.path.join(r.work, "ex", "private-notebook-codeartifact", "stack.json")
    base = os.path.splitext(out)[0]
    m = manifest_of(out)
    aws = [r.aws, "cloudformation"]
    # 1. parameters as a JSON file (the v2 form): aws-cli v1 refuses it, no change set made
    r.calls()
    res = r.sh(aws + ["deploy", "--region", m["region"], "--stack-name", m["stack_name"], "--template-file", out,
                      "--capabilities", *m["capabilities"], "--parameter-overrides",
                      f"file://{base}.params.json", "--no-fail-on-empty-changeset"])
    calls = r.calls()
    r.check(res.returncode != 0 and "CreateChangeSet" not in ops(calls),
            "mutation: --parameter-overrides file://params.json is refused by aws-cli v1",
            f"exit {res.returncode} {ops(calls)} {res.stderr[-200:]}")
    # 2. a capability left out: the manifest edited, sgc deploy exits 4 with CloudFormation's refusal
    bad = dict(m, capabilities=[])
    with open(base + ".deploy.json", "w") as f:
        json.dump(bad, f)
    res = r.sgc("deploy", out)
    calls = r.calls()
    cs = change_set_call(calls) or {}
    r.check(res.returncode == 4 and cs.get("error") == "InsufficientCapabilitiesException",
            "mutation: no CAPABILITY_IAM: InsufficientCapabilities, exit 4",
            f"exit {res.returncode} {cs.get('error')} {res.stderr[-300:]}")
    # 3. an unknown parameter (aws cloudformation deploy drops those itself: straight to the API)
    res = r.sh(aws + ["create-change-set", "--region", m["region"], "--stack-name", m["stack_name"],
                      "--change-set-name", "c-unknown", "--change-set-type", "UPDATE", "--capabilities",
                      *m["capabilities"], "--template-body", f"file://{out}", "--parameters",
                      "ParameterKey=Nope,ParameterValue=x"])
    cs = change_set_call(r.calls()) or {}
    r.check(res.returncode != 0 and cs.get("error") == "ValidationError" and "do not exist" in res.stderr,
            "mutation: unknown parameter: ValidationError", f"exit {res.returncode} {res.stderr[-300:]}")
    # 4. a required parameter (no Default) missing on a new stack: sgc deploy exits 4 with
    # CloudFormation's refusal; its twin, with the value, deploys
    req = os.path.join(r.work, "req")
    os.makedirs(req, exist_ok=True)
    t = {"Parameters": {"Req": {"Type": "String"}},
         "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Req"}}}}}
    with open(os.path.join(req, "stack.json"), "w") as f:
        json.dump(t, f)
    size = os.path.getsize(os.path.join(req, "stack.json"))
    for label, params, want in (("missing parameter", {}, 4), ("parameter given", {"Req": "x"}, 0)):
        with open(os.path.join(req, "stack.deploy.json"), "w") as f:
            json.dump({"version": 1, "template": "stack.json", "stack_name": "sgc-required-parameter",
                       "region": "eu-west-1", "stage": None, "capabilities": [], "parameters": params,
                       "template_bytes": size, "needs_s3_upload": False}, f)
        res = r.sgc("deploy", os.path.join(req, "stack.json"))
        cs = change_set_call(r.calls()) or {}
        ok = (cs.get("error") == "ValidationError" and "must have values" in res.stderr) if want else \
            cs.get("status") == 200
        r.check(res.returncode == want and ok, f"mutation: {label}: exit {want}",
                f"exit {res.returncode} {res.stderr[-300:]}")
    # 5. a manifest that no longer matches its template: refused before any call
    with open(base + ".deploy.json", "w") as f:
        json.dump(dict(m, template_bytes=m["template_bytes"] + 1), f)
    res = r.sgc("deploy", out)
    r.check(res.returncode == 2 and r.calls() == [] and "build again" in res.stderr,
            "mutation: stale manifest: exit 2, no call", res.stderr[-300:])
    with open(base + ".deploy.json", "w") as f:
        json.dump(m, f)
    # 6. TemplateBody over the limit: CloudFormation (the stub) refuses it
    big = os.path.join(r.work, "big", "stack.json")
    mb = manifest_of(big)
    res = r.sh(aws + ["create-change-set", "--region", mb["region"], "--stack-name", "sgc-too-big",
                      "--change-set-name", "c1", "--change-set-type", "CREATE", "--capabilities",
                      *mb["capabilities"], "--template-body", f"file://{big}"])
    cs = change_set_call(r.calls()) or {}
    r.check(res.returncode != 0 and cs.get("error") == "ValidationError" and "51200" in res.stderr,
            "mutation: TemplateBody over 51,200 bytes: ValidationError", f"exit {res.returncode} {res.stderr[-300:]}")
    # 7. the CLI missing: exit 4, saying so
    env = dict(r.env, SGC_AWS=os.path.join(r.work, "no-such-aws"))
    res = r.sh([r.args.sgc, "deploy", out], env=env)
    r.check(res.returncode == 4 and "cannot run" in res.stderr, "no AWS CLI: exit 4", res.stderr[-200:])


def ci_script(r):
    """tools/ci-environments.sh from a fresh clone: check, fmt, build every stage, deploy; no hand edit."""
    script = os.path.join(r.args.repo, "tools", "ci-environments.sh")
    if not os.path.exists(script):
        r.check(False, "tools/ci-environments.sh exists")
        return
    clone = os.path.join(r.work, "clone")
    res = r.sh(["git", "clone", "-q", "--no-hardlinks", r.args.repo, clone])
    if not r.check(res.returncode == 0, "fresh clone", res.stderr[-300:]):
        return
    # the working tree's script and examples, as a pull request would carry them
    for rel in ("tools/ci-environments.sh",):
        shutil.copy(os.path.join(r.args.repo, rel), os.path.join(clone, rel))
    before = r.sh(["git", "status", "--porcelain", "--untracked-files=no"], cwd=clone).stdout
    env = dict(r.env, SGC=r.args.sgc, SGC_CI_STAGES="dev prod")
    srcs = sorted(os.path.join("examples", e) for e in os.listdir(os.path.join(clone, "examples")) if e.endswith(".sgl"))
    # two environments that are one stack (same name and Region): the build step refuses them
    os.makedirs(os.path.join(clone, "dup"))
    for copy in ("a.sgl", "b.sgl"):
        shutil.copy(os.path.join(clone, "examples", "isolated-network.sgl"), os.path.join(clone, "dup", copy))
    res = r.sh(["bash", "tools/ci-environments.sh", "build"], cwd=clone,
               env=dict(env, SGC_CI_OUT="out-dup", SGC_CI_SOURCES="dup"))
    r.check(res.returncode == 1 and "both deploy to stack mlnetwork" in res.stdout,
            "ci script build: two environments on one stack refused", f"exit {res.returncode}: {res.stdout[-300:]}")
    r.check(len(srcs) == 6, "ci script: every example, none left out", f"{srcs}")
    env["SGC_CI_SOURCES"] = " ".join(srcs)
    r.calls()
    for step in ("check", "build", "deploy"):
        res = r.sh(["bash", "tools/ci-environments.sh", step], cwd=clone, env=env)
        r.check(res.returncode == 0, f"ci script {step}: exit 0", f"exit {res.returncode}: {res.stdout[-300:]} "
                f"{res.stderr[-600:]}")
    r.check(os.path.getsize(os.path.join(clone, "sgc.sarif")) > 0, "ci script check: a SARIF log")
    calls = r.calls()
    n = len(srcs)
    # every environment of every stage is a stack holding the template built for it
    world = r.world()["stacks"]
    good = 0
    for stage in ("dev", "prod"):
        for src in srcs:
            out = os.path.join(clone, "out", stage, os.path.basename(src)[:-4], "stack.json")
            m = manifest_of(out)
            st = world.get(f"{m['region']}/{m['stack_name']}", {})
            with open(out) as f:
                good += st.get("StackStatus", "").endswith("_COMPLETE") and st.get("Template") == json.load(f)
    sent = {c["params"]["StackName"] for c in calls if c["operation"] == "CreateChangeSet" and not c.get("error")}
    r.check(good == 2 * n and len(sent) == 2 * n, f"ci script: {2 * n} stacks deployed ({n} environments, 2 stages)",
            f"{good} up to date, {len(sent)} change sets")
    # stack names the remote-access connect script finds: its default is the manifest's stack_name
    m = manifest_of(os.path.join(clone, "out", "prod", "studio-remote-access", "stack.json"))
    remote = os.path.join(clone, "out", "prod", "studio-remote-access", "remote")
    texts = "".join(open(os.path.join(d, f), errors="replace").read() for d, _, fs in os.walk(remote) for f in fs)
    r.check(m["stack_name"] == "devbox-prod" and "devbox-prod" in texts,
            "ci script: the connect script's default stack is the manifest's", m["stack_name"])
    # a second run of the deploy step, templates through S3 (a bucket per Region), changes nothing
    res = r.sh(["bash", "tools/ci-environments.sh", "deploy"], cwd=clone,
               env=dict(env, SGC_CI_STAGE="prod", SGC_CI_S3_BUCKET="cfn-{region}"))
    calls = r.calls()
    buckets = {c["params"].get("Bucket"): c["region"] for c in calls if c["operation"] == "PutObject"}
    r.check(res.returncode == 0 and "ExecuteChangeSet" not in ops(calls), "ci script deploy again: nothing executed",
            f"exit {res.returncode} {ops(calls).count('ExecuteChangeSet')} {res.stderr[-300:]}")
    regions = {manifest_of(os.path.join(clone, "out", "prod", os.path.basename(s_)[:-4], "stack.json"))["region"]
               for s_ in srcs}
    r.check(set(buckets.values()) == regions and all(b == f"cfn-{reg}" for b, reg in buckets.items()),
            "ci script deploy through S3: the bucket of each stack's Region", f"{buckets}")
    res = r.sh(["git", "status", "--porcelain", "--untracked-files=no"], cwd=clone)
    r.check(res.stdout == before, "ci script: no tracked file edited", res.stdout[-300:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sgc", required=True)
    ap.add_argument("--real-aws", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    args.sgc = os.path.abspath(args.sgc)
    r = Run(args)
    try:
        examples(r)
        preview(r)
        big(r)
        stages(r)
        mutations(r)
        ci_script(r)
    finally:
        r.close()
    print(f"deploy-cli: {r.passed} passed, {r.failed} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
