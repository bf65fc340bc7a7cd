#!/usr/bin/env python3
"""tests/deploy/iam.py - "every call has a grant".

Three parts, Python 3.9+ standard library only:

* World: a CloudFormation intrinsic resolver (Ref, Fn::Sub, Fn::GetAtt,
  Fn::Join, Fn::Select, Fn::Split, Fn::If with Conditions, pseudo parameters)
  that synthesises consistent, deterministic physical ids and attributes per
  resource type, so the fake AWS world (stub.py) and the IAM checks below
  agree on every ARN.
* An IAM policy evaluator: identity policies (inline role policies, managed
  policies and AWS::IAM::Policy resources attached to the role, stand-alone
  managed policies as "developer" principals), explicit Deny wins,
  Action/NotAction, Resource/NotResource with wildcards, policy variables,
  Conditions (String*, Arn*, Bool, Null, Numeric*, ForAnyValue:/ForAllValues:,
  ...IfExists) and KMS key policies for kms:* actions.
* CALLS: the table that maps each logged API call to the IAM action(s) and
  resource ARN it needs (each row with its Service Authorization Reference
  page), and the checks run by run.sh.

Command line (used by run.sh):
  iam.py calls TEMPLATE STACK LOG IDMAP   every logged call allowed
  iam.py static TEMPLATE STACK            service-side needs (KMS, ...)
  iam.py sgc-iam TEMPLATE STACK IAMJSON [LOG IDMAP]   the `sgc iam` rows
Exit status 0 when every check passes, 1 otherwise; one line per finding.
"""
import hashlib
import json
import re
import sys

ACCOUNT = "123456789012"
PARTITION = "aws"

SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/"


class ResolveError(Exception):
    pass


def _h(*parts, n=12):
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


def _b36(seed, n):
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    v = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    out = ""
    for _ in range(n):
        v, r = divmod(v, 36)
        out += alphabet[r]
    return out


# ---------------------------------------------------------------------------
# CloudFormation resolver
# ---------------------------------------------------------------------------

class World:
    """A deployed stack as the tests imagine it: every Ref/GetAtt has one value."""

    def __init__(self, template, stack_name, region=None, account=ACCOUNT,
                 partition=PARTITION, parameters=None):
        self.t = template
        self.stack = stack_name
        self.account = account
        self.partition = partition
        self.region = region or self._template_region() or "us-east-1"
        self.params = {}
        for name, spec in (template.get("Parameters") or {}).items():
            if parameters and name in parameters:
                self.params[name] = parameters[name]
            elif "Default" in spec:
                self.params[name] = spec["Default"]
            else:
                self.params[name] = self._param_placeholder(name, spec)
        self.resources = template.get("Resources") or {}
        self._attrs = {}
        self._busy = set()
        self._conds = {}
        self.stack_id = (f"arn:{partition}:cloudformation:{self.region}:{account}:stack/"
                         f"{stack_name}/{_h(stack_name, n=8)}-{_h(stack_name, 'a', n=4)}-"
                         f"{_h(stack_name, 'b', n=4)}-{_h(stack_name, 'c', n=4)}-"
                         f"{_h(stack_name, 'd', n=12)}")

    # -- helpers --
    def _template_region(self):
        """The Region the template pins (sgc's DeployToCheckedRegion rule)."""
        text = json.dumps(self.t.get("Rules") or {})
        m = re.search(r'"([a-z]{2}(?:-gov)?-[a-z]+-[0-9])"', text)
        return m.group(1) if m else None

    @staticmethod
    def _param_placeholder(name, spec):
        pattern = spec.get("AllowedPattern", "")
        if pattern.startswith("^pl-"):
            return "pl-0123456789abcdef0"
        if "AllowedValues" in spec:
            return spec["AllowedValues"][0]
        if spec.get("Type", "").startswith("List<") or spec.get("Type") == "CommaDelimitedList":
            return []
        return f"{name}-value"

    def arn(self, service, resource, region=None, account=None):
        r = self.region if region is None else region
        a = self.account if account is None else account
        return f"arn:{self.partition}:{service}:{r}:{a}:{resource}"

    def pseudo(self, name):
        table = {
            "AWS::Partition": self.partition,
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::StackName": self.stack,
            "AWS::StackId": self.stack_id,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
        }
        if name not in table:
            raise ResolveError(f"unknown pseudo parameter {name}")
        return table[name]

    # -- conditions --
    def condition(self, name):
        if name not in self._conds:
            conds = self.t.get("Conditions") or {}
            if name not in conds:
                raise ResolveError(f"unknown condition {name}")
            self._conds[name] = bool(self._cond_value(conds[name]))
        return self._conds[name]

    def _cond_value(self, v):
        if isinstance(v, dict) and len(v) == 1:
            (k, a), = v.items()
            if k == "Fn::Equals":
                return self.resolve(a[0]) == self.resolve(a[1])
            if k == "Fn::Not":
                return not self._cond_value(a[0])
            if k == "Fn::And":
                return all(self._cond_value(x) for x in a)
            if k == "Fn::Or":
                return any(self._cond_value(x) for x in a)
            if k == "Condition":
                return self.condition(a)
        return self.resolve(v)

    # -- attributes per resource type --
    def attrs(self, lid):
        if lid in self._attrs:
            return self._attrs[lid]
        if lid not in self.resources:
            raise ResolveError(f"unknown resource {lid}")
        if lid in self._busy:
            raise ResolveError(f"circular reference through {lid}")
        self._busy.add(lid)
        try:
            res = self.resources[lid]
            a = self._synthesise(lid, res.get("Type", ""), res.get("Properties") or {})
        finally:
            self._busy.discard(lid)
        self._attrs[lid] = a
        return a

    def _prop(self, props, name, default=None):
        if name not in props:
            return default
        return self.resolve(props[name])

    def _gen_name(self, lid, maxlen=64, lower=False):
        name = f"{self.stack}-{lid}-{_h(self.stack, lid).upper()}"
        if len(name) > maxlen:
            name = f"{self.stack[:maxlen - len(lid) - 15]}-{lid}-{_h(self.stack, lid).upper()}"[:maxlen]
        return name.lower() if lower else name

    def _synthesise(self, lid, typ, props):
        p, r, a = self.partition, self.region, self.account
        h = _h(self.stack, lid)
        if typ == "AWS::IAM::Role":
            name = self._prop(props, "RoleName") or self._gen_name(lid)
            path = self._prop(props, "Path") or "/"
            arn = f"arn:{p}:iam::{a}:role{path}{name}"
            return {"Ref": name, "Arn": arn, "RoleId": "AROA" + _h(lid, n=17).upper()}
        if typ == "AWS::IAM::ManagedPolicy":
            name = self._prop(props, "ManagedPolicyName") or self._gen_name(lid, 128)
            path = self._prop(props, "Path") or "/"
            arn = f"arn:{p}:iam::{a}:policy{path}{name}"
            return {"Ref": arn, "PolicyArn": arn, "PolicyId": "ANPA" + _h(lid, n=17).upper()}
        if typ == "AWS::IAM::Policy":
            pid = f"{self.stack[:5]}-{_h(lid, n=12)}".upper()
            return {"Ref": pid, "Id": pid}
        if typ == "AWS::IAM::InstanceProfile":
            name = self._prop(props, "InstanceProfileName") or self._gen_name(lid)
            return {"Ref": name, "Arn": f"arn:{p}:iam::{a}:instance-profile/{name}"}
        if typ == "AWS::KMS::Key":
            kid = f"{_h(lid, n=8)}-{_h(lid, 'a', n=4)}-{_h(lid, 'b', n=4)}-{_h(lid, 'c', n=4)}-{_h(lid, 'd', n=12)}"
            return {"Ref": kid, "KeyId": kid, "Arn": self.arn("kms", f"key/{kid}")}
        if typ == "AWS::KMS::Alias":
            return {"Ref": self._prop(props, "AliasName")}
        if typ == "AWS::CodeArtifact::Domain":
            name = self._prop(props, "DomainName")
            arn = self.arn("codeartifact", f"domain/{name}")
            key = self._prop(props, "EncryptionKey") or self.arn("kms", f"key/{_h('aws/codeartifact', n=8)}-aws-managed")
            return {"Ref": arn, "Arn": arn, "Name": name, "Owner": a, "EncryptionKey": key}
        if typ == "AWS::CodeArtifact::Repository":
            name = self._prop(props, "RepositoryName")
            dom = self._prop(props, "DomainName")
            arn = self.arn("codeartifact", f"repository/{dom}/{name}")
            return {"Ref": arn, "Arn": arn, "Name": name, "DomainName": dom,
                    "DomainOwner": self._prop(props, "DomainOwner") or a}
        if typ == "AWS::S3::Bucket":
            name = self._prop(props, "BucketName") or self._gen_name(lid, 63, lower=True)
            return {"Ref": name, "Arn": f"arn:{p}:s3:::{name}",
                    "DomainName": f"{name}.s3.amazonaws.com",
                    "RegionalDomainName": f"{name}.s3.{r}.amazonaws.com",
                    "DualStackDomainName": f"{name}.s3.dualstack.{r}.amazonaws.com",
                    "WebsiteURL": f"http://{name}.s3-website-{r}.amazonaws.com"}
        if typ == "AWS::ECR::Repository":
            name = self._prop(props, "RepositoryName") or self._gen_name(lid, 200, lower=True)
            return {"Ref": name, "Arn": self.arn("ecr", f"repository/{name}"),
                    "RepositoryUri": f"{a}.dkr.ecr.{r}.amazonaws.com/{name}"}
        if typ == "AWS::SecretsManager::Secret":
            name = self._prop(props, "Name") or f"{lid}-{_h(lid, n=12)}"
            arn = self.arn("secretsmanager", f"secret:{name}-{_b36(lid, 6)}")
            return {"Ref": arn, "Id": arn}
        if typ == "AWS::SageMaker::Domain":
            did = "d-" + _b36(self.stack + lid, 12)
            return {"Ref": did, "DomainId": did,
                    "DomainArn": self.arn("sagemaker", f"domain/{did}"),
                    "Url": f"https://{did}.studio.{r}.sagemaker.aws",
                    "HomeEfsFileSystemId": "fs-" + _h(lid, n=17),
                    "SecurityGroupIdForDomainBoundary": "sg-" + _h(lid, "b", n=17),
                    "SingleSignOnApplicationArn": "",
                    "SingleSignOnManagedApplicationInstanceId": ""}
        if typ == "AWS::SageMaker::UserProfile":
            dom = self._prop(props, "DomainId")
            name = self._prop(props, "UserProfileName")
            arn = self.arn("sagemaker", f"user-profile/{dom}/{name}")
            return {"Ref": f"{dom}|{name}", "UserProfileArn": arn}
        if typ == "AWS::SageMaker::Space":
            dom = self._prop(props, "DomainId")
            name = self._prop(props, "SpaceName")
            return {"Ref": f"{dom}|{name}", "SpaceArn": self.arn("sagemaker", f"space/{dom}/{name}"),
                    "Url": f"https://{dom}.studio.{r}.sagemaker.aws/spaces/{name}"}
        if typ == "AWS::SageMaker::App":
            dom = self._prop(props, "DomainId")
            owner = self._prop(props, "SpaceName") or self._prop(props, "UserProfileName")
            app_type = (self._prop(props, "AppType") or "").lower()
            name = self._prop(props, "AppName")
            return {"Ref": f"{dom}|{owner}|{app_type}|{name}",
                    "AppArn": self.arn("sagemaker", f"app/{dom}/{owner}/{app_type}/{name}")}
        if typ == "AWS::SageMaker::NotebookInstance":
            name = self._prop(props, "NotebookInstanceName") or f"{lid}-{_b36(self.stack + lid, 12)}"
            arn = self.arn("sagemaker", f"notebook-instance/{name.lower()}")
            return {"Ref": arn, "Id": arn, "NotebookInstanceName": name}
        if typ == "AWS::SageMaker::NotebookInstanceLifecycleConfig":
            name = self._prop(props, "NotebookInstanceLifecycleConfigName") or f"{lid}-{h}"
            arn = self.arn("sagemaker", f"notebook-instance-lifecycle-config/{name.lower()}")
            return {"Ref": arn, "Id": arn, "NotebookInstanceLifecycleConfigName": name}
        if typ == "AWS::SageMaker::StudioLifecycleConfig":
            name = self._prop(props, "StudioLifecycleConfigName")
            return {"Ref": name,
                    "StudioLifecycleConfigArn": self.arn("sagemaker", f"studio-lifecycle-config/{name}")}
        if typ == "AWS::EC2::VPC":
            return {"Ref": "vpc-" + h[:17], "VpcId": "vpc-" + h[:17],
                    "CidrBlock": self._prop(props, "CidrBlock"),
                    "DefaultSecurityGroup": "sg-" + _h(lid, "dsg", n=17)}
        if typ == "AWS::EC2::SecurityGroup":
            return {"Ref": "sg-" + h[:17], "GroupId": "sg-" + h[:17],
                    "VpcId": self._prop(props, "VpcId")}
        if typ == "AWS::EC2::EIP":
            return {"Ref": "127.0.0.2", "AllocationId": "eipalloc-" + h[:17], "PublicIp": "127.0.0.2"}
        prefixes = {"AWS::EC2::Subnet": "subnet", "AWS::EC2::RouteTable": "rtb",
                    "AWS::EC2::InternetGateway": "igw", "AWS::EC2::NatGateway": "nat",
                    "AWS::EC2::VPCEndpoint": "vpce", "AWS::EC2::NetworkAcl": "acl",
                    "AWS::EC2::PrefixList": "pl"}
        if typ in prefixes:
            pid = f"{prefixes[typ]}-{h[:17]}"
            return {"Ref": pid, "SubnetId": pid, "Id": pid, "PrefixListId": pid,
                    "Arn": self.arn("ec2", f"{prefixes[typ]}/{pid}"),
                    "AvailabilityZone": f"{r}a"}
        service = typ.split("::")[1].lower() if typ.count("::") == 2 else "unknown"
        gid = f"{lid}-{h}"
        return {"Ref": gid, "Arn": self.arn(service, f"{lid.lower()}/{gid}"), "Id": gid}

    def ref(self, name):
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.params:
            return self.params[name]
        return self.attrs(name)["Ref"]

    def getatt(self, lid, attr):
        a = self.attrs(lid)
        if attr not in a:
            raise ResolveError(f"{lid} ({self.resources[lid].get('Type')}) has no attribute {attr} in this world")
        return a[attr]

    def logical_of(self, value):
        """The logical id whose Ref or an attribute equals value (a reverse look-up)."""
        for lid in self.resources:
            try:
                a = self.attrs(lid)
            except ResolveError:
                continue
            if value in a.values():
                return lid
        return None

    # -- the resolver --
    def resolve(self, v):
        if isinstance(v, list):
            out = []
            for x in v:
                r = self.resolve(x)
                if r is _NOVALUE:
                    continue
                out.append(r)
            return out
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (k, a), = v.items()
            if k == "Ref":
                if a == "AWS::NoValue":
                    return _NOVALUE
                return self.ref(a)
            if k == "Fn::GetAtt":
                if isinstance(a, str):
                    a = a.split(".", 1)
                return self.getatt(a[0], self.resolve(a[1]))
            if k == "Fn::Sub":
                return self._sub(a)
            if k == "Fn::Join":
                parts = self.resolve(a[1])
                return self.resolve(a[0]).join(str(x) for x in parts)
            if k == "Fn::Select":
                return self.resolve(a[1])[int(self.resolve(a[0]))]
            if k == "Fn::Split":
                return self.resolve(a[1]).split(self.resolve(a[0]))
            if k == "Fn::If":
                return self.resolve(a[1] if self.condition(a[0]) else a[2])
            if k == "Fn::GetAZs":
                return [f"{self.region}{z}" for z in "abc"]
            if k == "Fn::Base64":
                import base64
                return base64.b64encode(self.resolve(a).encode()).decode()
            if k == "Fn::ImportValue":
                return f"imported-{self.resolve(a)}"
            if k == "Fn::Length":
                return len(self.resolve(a))
            if k == "Fn::ToJsonString":
                return json.dumps(self.resolve(a), separators=(",", ":"))
            if k.startswith("Fn::") or k == "Condition":
                raise ResolveError(f"unsupported intrinsic {k}")
        out = {}
        for k, x in v.items():
            r = self.resolve(x)
            if r is _NOVALUE:
                continue
            out[k] = r
        return out

    def _sub(self, a):
        if isinstance(a, list):
            text, variables = a[0], {k: self.resolve(x) for k, x in a[1].items()}
        else:
            text, variables = a, {}

        def one(m):
            name = m.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            name = name.strip()
            if name in variables:
                return str(variables[name])
            if name.startswith("AWS::"):
                return str(self.pseudo(name))
            if "." in name:
                lid, attr = name.split(".", 1)
                return str(self.getatt(lid, attr))
            return str(self.ref(name))
        return re.sub(r"\$\{([^}]+)\}", one, text)

    def outputs(self):
        out = {}
        for key, o in (self.t.get("Outputs") or {}).items():
            if "Condition" in o and not self.condition(o["Condition"]):
                continue
            out[key] = self.resolve(o["Value"])
        return out

    def of_type(self, typ):
        return [lid for lid, r in self.resources.items() if r.get("Type") == typ]

    def props(self, lid):
        return self.resolve(self.resources[lid].get("Properties") or {})


class _NoValue:
    def __repr__(self):
        return "AWS::NoValue"


_NOVALUE = _NoValue()


# ---------------------------------------------------------------------------
# IAM evaluation
# ---------------------------------------------------------------------------

def _as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def glob_match(pattern, value, ignore_case=False):
    """IAM wildcard match: * any run of characters, ? one character."""
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, re.S) is not None


def action_match(pattern, action):
    return glob_match(pattern, action, ignore_case=True)


def substitute_variables(text, context):
    """Policy variables: ${aws:username}, ${sagemaker:DomainId}, ${*} ${?} ${$}.
    Returns None when a variable has no value in the context (the element then
    matches nothing, as IAM does for an unresolved variable without default)."""
    missing = []

    def one(m):
        inner = m.group(1)
        if inner in ("*", "?", "$"):
            return "\x00" + inner  # literal, protected from wildcard meaning
        key, _, default = inner.partition(",")
        key = key.strip()
        if key in context and not isinstance(context[key], list):
            return str(context[key])
        for k in context:
            if k.lower() == key.lower() and not isinstance(context[k], list):
                return str(context[k])
        if default:
            return default.strip().strip("'")
        missing.append(key)
        return ""
    out = re.sub(r"\$\{([^}]+)\}", one, text)
    return None if missing else out


def _literal_aware_match(pattern, value, ignore_case=False):
    if "\x00" not in pattern:
        return glob_match(pattern, value, ignore_case)
    rx = ""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\x00":
            rx += re.escape(pattern[i + 1])
            i += 2
            continue
        rx += ".*" if c == "*" else "." if c == "?" else re.escape(c)
        i += 1
    return re.fullmatch(rx, value, re.S | (re.I if ignore_case else 0)) is not None


def arn_match(pattern, arn):
    """Resource matching: "*" matches all; otherwise the first five ARN fields
    match segment by segment and the resource part as a whole."""
    if pattern == "*":
        return True
    pp = pattern.split(":", 5)
    aa = arn.split(":", 5)
    if len(pp) < 6 or len(aa) < 6:
        return False  # not an ARN: IAM refuses such a Resource (MalformedPolicyDocument)
    return all(_literal_aware_match(p, x) for p, x in zip(pp, aa))


class UnsupportedCondition(Exception):
    pass


_STRING_OPS = {
    "StringEquals": (lambda p, v: p == v, False),
    "StringNotEquals": (lambda p, v: p == v, True),
    "StringEqualsIgnoreCase": (lambda p, v: p.lower() == v.lower(), False),
    "StringNotEqualsIgnoreCase": (lambda p, v: p.lower() == v.lower(), True),
    "StringLike": (lambda p, v: _literal_aware_match(p, v), False),
    "StringNotLike": (lambda p, v: _literal_aware_match(p, v), True),
    "ArnEquals": (lambda p, v: arn_match(p, v), False),
    "ArnLike": (lambda p, v: arn_match(p, v), False),
    "ArnNotEquals": (lambda p, v: arn_match(p, v), True),
    "ArnNotLike": (lambda p, v: arn_match(p, v), True),
    "Bool": (lambda p, v: str(p).lower() == str(v).lower(), False),
    "NumericEquals": (lambda p, v: float(v) == float(p), False),
    "NumericNotEquals": (lambda p, v: float(v) == float(p), True),
    "NumericLessThan": (lambda p, v: float(v) < float(p), False),
    "NumericLessThanEquals": (lambda p, v: float(v) <= float(p), False),
    "NumericGreaterThan": (lambda p, v: float(v) > float(p), False),
    "NumericGreaterThanEquals": (lambda p, v: float(v) >= float(p), False),
}


def _ctx_get(context, key):
    if key in context:
        return True, context[key]
    for k, v in context.items():
        if k.lower() == key.lower():
            return True, v
    return False, None


def condition_holds(op_full, key, values, context):
    """One key of one operator of a Condition block."""
    qualifier = None
    op = op_full
    if ":" in op:
        qualifier, op = op.split(":", 1)
        if qualifier not in ("ForAnyValue", "ForAllValues"):
            raise UnsupportedCondition(op_full)
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[:-len("IfExists")]
    present, ctx = _ctx_get(context, key)
    policy_values = [str(x).lower() if isinstance(x, bool) else str(x) for x in _as_list(values)]
    policy_values = [v for v in (substitute_variables(x, context) if "${" in x else x
                                 for x in policy_values) if v is not None]
    if op == "Null":
        want_absent = [p.lower() == "true" for p in policy_values]
        absent = (not present) or ctx in (None, [], "")
        return any(w == absent for w in want_absent)
    if op not in _STRING_OPS:
        raise UnsupportedCondition(op_full)
    cmp, negated = _STRING_OPS[op]

    def matches_one(v):
        return any(cmp(p, str(v).lower() if isinstance(v, bool) else str(v)) for p in policy_values)

    if not present or ctx is None:
        if if_exists:
            return True
        if qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return negated
    ctx_values = _as_list(ctx)
    if qualifier == "ForAllValues":
        ok = [matches_one(v) for v in ctx_values]
        return all((not x) if negated else x for x in ok) if ctx_values else True
    if qualifier == "ForAnyValue":
        ok = [matches_one(v) for v in ctx_values]
        return any((not x) if negated else x for x in ok)
    any_match = any(matches_one(v) for v in ctx_values)
    return (not any_match) if negated else any_match


def conditions_hold(cond, context):
    for op, block in (cond or {}).items():
        for key, values in block.items():
            if not condition_holds(op, key, values, context):
                return False
    return True


def statement_applies(st, action, resource, context):
    if "Action" in st:
        if not any(action_match(a, action) for a in _as_list(st["Action"])):
            return False
    elif "NotAction" in st:
        if any(action_match(a, action) for a in _as_list(st["NotAction"])):
            return False
    else:
        return False

    def res_match(pattern):
        p = substitute_variables(pattern, context) if "${" in pattern else pattern
        return p is not None and arn_match(p, resource)

    if "Resource" in st:
        if not any(res_match(r) for r in _as_list(st["Resource"])):
            return False
    elif "NotResource" in st:
        if any(res_match(r) for r in _as_list(st["NotResource"])):
            return False
    return conditions_hold(st.get("Condition"), context)


def evaluate(statements, action, resource, context=None):
    """Identity-policy decision: 'Allow', 'ExplicitDeny' or 'ImplicitDeny',
    with the Sid (or index) that decided."""
    context = context or {}
    allow = None
    for i, st in enumerate(statements):
        if not statement_applies(st, action, resource, context):
            continue
        if st.get("Effect") == "Deny":
            return "ExplicitDeny", st.get("Sid", f"#{i}")
        if st.get("Effect") == "Allow" and allow is None:
            allow = st.get("Sid", f"#{i}")
    return ("Allow", allow) if allow is not None else ("ImplicitDeny", None)


def _principal_matches(principal, principal_arn, account, partition):
    """Does a key policy's Principal name this principal directly ('direct') or
    the account ('account'), or not at all (None)?"""
    if principal == "*":
        return "direct"
    aws = []
    if isinstance(principal, dict):
        aws = _as_list(principal.get("AWS"))
    for p in aws:
        if p == "*":
            return "direct"
        if p in (account, f"arn:{partition}:iam::{account}:root"):
            return "account"
        if p == principal_arn:
            return "direct"
    return None


def evaluate_key_policy(key_policy, principal_arn, action, resource, context, account=ACCOUNT,
                        partition=PARTITION):
    """('Allow'|'Delegate'|'ExplicitDeny'|'ImplicitDeny'): Delegate = the key policy
    allows the account, so IAM policies decide."""
    result = "ImplicitDeny"
    for st in _as_list((key_policy or {}).get("Statement")):
        who = _principal_matches(st.get("Principal"), principal_arn, account, partition)
        if who is None or not statement_applies(st, action, resource, context):
            continue
        if st.get("Effect") == "Deny":
            return "ExplicitDeny"
        if who == "direct":
            result = "Allow"
        elif result != "Allow":
            result = "Delegate"
    return result


class Identity:
    def __init__(self, ident_id, kind, statements, principal_arn, sources, of=""):
        self.id = ident_id
        self.kind = kind
        self.statements = statements
        self.principal_arn = principal_arn
        self.sources = sources
        self.of = of

    def __repr__(self):
        return f"Identity({self.id})"


def _policy_statements(doc):
    return [dict(s) for s in _as_list((doc or {}).get("Statement"))]


def identities_from_template(world):
    """Every IAM role (inline Policies + managed policies + AWS::IAM::Policy
    naming it) and every stand-alone managed policy (a developer principal)."""
    out = {}
    managed = {lid: world.props(lid) for lid in world.of_type("AWS::IAM::ManagedPolicy")}
    plain = {lid: world.props(lid) for lid in world.of_type("AWS::IAM::Policy")}
    for lid in world.of_type("AWS::IAM::Role"):
        props = world.props(lid)
        name = world.ref(lid)
        st, sources = [], [lid]
        for pol in props.get("Policies") or []:
            st += _policy_statements(pol.get("PolicyDocument"))
        arns = set(props.get("ManagedPolicyArns") or [])
        for mlid, mp in list(managed.items()) + list(plain.items()):
            attached = name in (mp.get("Roles") or [])
            if attached or world.ref(mlid) in arns:
                st += _policy_statements(mp.get("PolicyDocument"))
                sources.append(mlid)
        out[lid] = Identity(lid, "execution-role", st, world.getatt(lid, "Arn"), sources)
    for mlid, mp in managed.items():
        if not (mp.get("Roles") or mp.get("Users") or mp.get("Groups")):
            arn = f"arn:{world.partition}:iam::{world.account}:user/developer-{mlid}"
            out[mlid] = Identity(mlid, "developer", _policy_statements(mp.get("PolicyDocument")),
                                 arn, [mlid])
    return out


def identities_from_sgc_iam(world, doc):
    """The identities of `sgc iam --format json`: each names the roles and
    managed policies whose statements apply."""
    out = {}
    managed = {lid: world.props(lid) for lid in world.of_type("AWS::IAM::ManagedPolicy")}
    plain = {lid: world.props(lid) for lid in world.of_type("AWS::IAM::Policy")}
    for ident in doc.get("identities", []):
        st = []
        principal = None
        for lid in ident.get("policies", []):
            typ = world.resources.get(lid, {}).get("Type")
            props = world.props(lid) if typ else {}
            if typ == "AWS::IAM::Role":
                principal = principal or world.getatt(lid, "Arn")
                for pol in props.get("Policies") or []:
                    st += _policy_statements(pol.get("PolicyDocument"))
            elif typ in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
                st += _policy_statements((managed.get(lid) or plain.get(lid) or {}).get("PolicyDocument"))
            else:
                raise ResolveError(f"identity {ident['id']}: {lid} is not a role or policy of the template")
        if principal is None:
            principal = f"arn:{world.partition}:iam::{world.account}:user/developer-{ident['id']}"
        out[ident["id"]] = Identity(ident["id"], ident.get("kind", "execution-role"), st,
                                    principal, ident.get("policies", []), ident.get("of", ""))
    return out


def key_policies(world):
    """KMS key ARN -> key policy, for every AWS::KMS::Key in the template."""
    return {world.getatt(lid, "Arn"): world.props(lid).get("KeyPolicy") or {}
            for lid in world.of_type("AWS::KMS::Key")}


def decide(identity, action, resource, context, keys):
    """The full decision for one request by one identity: identity policies,
    plus the key policy for kms:* on a key of the template."""
    ctx = dict(base_context(identity))
    ctx.update(context or {})
    verdict, sid = evaluate(identity.statements, action, resource, ctx)
    if action.lower().startswith("kms:") and resource in keys:
        kp = evaluate_key_policy(keys[resource], identity.principal_arn, action, resource, ctx)
        if kp == "ExplicitDeny" or verdict == "ExplicitDeny":
            return "ExplicitDeny", "key policy" if kp == "ExplicitDeny" else sid
        if kp == "Allow":
            return "Allow", "key policy"
        if kp == "Delegate":
            return verdict, sid
        return "ImplicitDeny", "key policy names neither the account nor the principal"
    return verdict, sid


def base_context(identity):
    return {"aws:PrincipalArn": identity.principal_arn,
            "aws:PrincipalAccount": ACCOUNT,
            "aws:SecureTransport": "true"}


# ---------------------------------------------------------------------------
# Calls -> IAM actions
# ---------------------------------------------------------------------------

def _p(params, *names, default=""):
    for n in names:
        if n in params and params[n] not in (None, ""):
            return params[n]
    return default


def _space_context(world, domain, space):
    """Condition keys SageMaker puts in the request context for a space or its apps."""
    ctx = {"sagemaker:DomainId": domain}
    for lid in world.of_type("AWS::SageMaker::Space"):
        props = world.props(lid)
        if props.get("DomainId") == domain and props.get("SpaceName") == space:
            owner = (props.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
            if owner:
                ctx["sagemaker:OwnerUserProfileArn"] = world.arn("sagemaker", f"user-profile/{domain}/{owner}")
            sharing = (props.get("SpaceSharingSettings") or {}).get("SharingType")
            if sharing:
                ctx["sagemaker:SpaceSharingType"] = sharing
            ctx["sagemaker:RemoteAccess"] = (props.get("SpaceSettings") or {}).get("RemoteAccess", "DISABLED")
    return ctx


def _ca_token(world, region, params):
    owner = _p(params, "domain-owner", "domainOwner", default=world.account)
    dom = _p(params, "domain")
    return [("codeartifact:GetAuthorizationToken",
             f"arn:{world.partition}:codeartifact:{region}:{owner}:domain/{dom}", {}),
            ("sts:GetServiceBearerToken", "*",
             {"sts:AWSServiceName": "codeartifact.amazonaws.com"})]


def _ca_repo(action):
    def f(world, region, params):
        owner = _p(params, "domain-owner", "domainOwner", default=world.account)
        return [(action, f"arn:{world.partition}:codeartifact:{region}:{owner}:repository/"
                         f"{_p(params, 'domain')}/{_p(params, 'repository')}", {})]
    return f


def _sm_space(action):
    def f(world, region, params):
        dom, space = _p(params, "DomainId"), _p(params, "SpaceName")
        return [(action, world.arn("sagemaker", f"space/{dom}/{space}", region),
                 _space_context(world, dom, space))]
    return f


def _sm_app(action):
    def f(world, region, params):
        dom = _p(params, "DomainId")
        owner = _p(params, "SpaceName", "UserProfileName")
        app_type = _p(params, "AppType").lower()
        arn = world.arn("sagemaker", f"app/{dom}/{owner}/{app_type}/{_p(params, 'AppName')}", region)
        ctx = _space_context(world, dom, owner) if _p(params, "SpaceName") else {"sagemaker:DomainId": dom}
        spec = params.get("ResourceSpec") or {}
        if spec.get("InstanceType"):
            ctx["sagemaker:InstanceTypes"] = [spec["InstanceType"]]
        if spec.get("SageMakerImageArn"):
            ctx["sagemaker:ImageArns"] = [spec["SageMakerImageArn"]]
        out = [(action, arn, ctx)]
        if action == "sagemaker:CreateApp" and params.get("Tags"):
            out.append(("sagemaker:AddTags", arn, dict(ctx, **{"sagemaker:TaggingAction": "CreateApp"})))
        return out
    return f


def _sm_start_session(world, region, params):
    arn = _p(params, "ResourceIdentifier")
    m = re.match(r"arn:[^:]+:sagemaker:[^:]+:[0-9]+:space/([^/]+)/(.+)$", arn)
    ctx = _space_context(world, m.group(1), m.group(2)) if m else {}
    return [("sagemaker:StartSession", arn, ctx)]


def _sm_notebook(action):
    def f(world, region, params):
        name = _p(params, "NotebookInstanceName").lower()
        return [(action, world.arn("sagemaker", f"notebook-instance/{name}", region), {})]
    return f


def _cfn_stack(world, region, params):
    name = _p(params, "StackName")
    if name.startswith("arn:"):
        return [("cloudformation:DescribeStacks", name, {})]
    if name == world.stack:
        return [("cloudformation:DescribeStacks", world.stack_id, {})]
    return [("cloudformation:DescribeStacks",
             f"arn:{world.partition}:cloudformation:{region}:{world.account}:stack/{name}/unknown", {})]


# (service, operation) -> (function giving [(action, resource, context)], source)
CALLS = {
    ("codeartifact", "GetAuthorizationToken"): (
        _ca_token, SAR + "list_awscodeartifact.html ; "
        "https://docs.aws.amazon.com/codeartifact/latest/ug/tokens-authentication.html"),
    ("codeartifact", "GetRepositoryEndpoint"): (
        _ca_repo("codeartifact:GetRepositoryEndpoint"), SAR + "list_awscodeartifact.html"),
    ("codeartifact", "ReadFromRepository"): (
        _ca_repo("codeartifact:ReadFromRepository"), SAR + "list_awscodeartifact.html"),
    ("sagemaker", "StopNotebookInstance"): (
        _sm_notebook("sagemaker:StopNotebookInstance"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "DescribeNotebookInstance"): (
        _sm_notebook("sagemaker:DescribeNotebookInstance"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "DescribeSpace"): (_sm_space("sagemaker:DescribeSpace"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "UpdateSpace"): (_sm_space("sagemaker:UpdateSpace"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "DescribeApp"): (_sm_app("sagemaker:DescribeApp"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "CreateApp"): (_sm_app("sagemaker:CreateApp"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "DeleteApp"): (_sm_app("sagemaker:DeleteApp"), SAR + "list_amazonsagemaker.html"),
    ("sagemaker", "StartSession"): (
        _sm_start_session, SAR + "list_amazonsagemaker.html ; "
        "https://docs.aws.amazon.com/sagemaker/latest/dg/remote-access.html"),
    ("cloudformation", "DescribeStacks"): (_cfn_stack, SAR + "list_awscloudformation.html"),
    # GetCallerIdentity needs no permission:
    # https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    ("sts", "GetCallerIdentity"): (lambda world, region, params: [], SAR + "list_awssecuritytokenservice.html"),
}


def call_requests(world, call):
    """The IAM requests one logged call makes: [(action, resource, context)]."""
    key = (call["service"], call["operation"])
    if key not in CALLS:
        raise KeyError(f"no IAM mapping for {key[0]} {key[1]}: add a row to CALLS in iam.py")
    fn, _src = CALLS[key]
    return fn(world, call.get("region") or world.region, call.get("params") or {})


def check_calls(world, identities, calls, key_to_identity):
    """Every logged call allowed for the identity that made it. Returns findings."""
    keys = key_policies(world)
    findings = []
    checked = 0
    for c in calls:
        if c.get("status", 200) >= 500:
            continue
        ident_id = key_to_identity.get(c.get("access_key"))
        if ident_id is None:
            findings.append(f"call {c['service']} {c['operation']} by unknown access key {c.get('access_key')}")
            continue
        ident = identities.get(ident_id)
        if ident is None:
            findings.append(f"call {c['service']} {c['operation']}: identity {ident_id} not in the template")
            continue
        try:
            reqs = call_requests(world, c)
        except KeyError as e:
            findings.append(str(e))
            continue
        for action, resource, ctx in reqs:
            checked += 1
            verdict, why = decide(ident, action, resource, ctx, keys)
            if verdict != "Allow":
                findings.append(f"DENIED {ident_id}: {action} on {resource} "
                                f"(call {c['service']} {c['operation']}; {verdict}{': ' + why if why else ''})")
    return findings, checked


# ---------------------------------------------------------------------------
# VPC endpoint policies: each logged call through the endpoint of its service
# ---------------------------------------------------------------------------

# (service, operation) -> the endpoint (short name) a call from inside the VPC
# goes through, by private DNS: CodeArtifact's API and repositories endpoints
# (https://docs.aws.amazon.com/codeartifact/latest/ug/create-vpc-endpoints.html),
# the SageMaker API, STS. A service without a row (cloudformation) has no endpoint.
ENDPOINT_OF = {
    ("codeartifact", "GetAuthorizationToken"): "codeartifact.api",
    ("codeartifact", "GetRepositoryEndpoint"): "codeartifact.api",
    ("codeartifact", "ReadFromRepository"): "codeartifact.repositories",
    ("sts", "GetCallerIdentity"): "sts",
}


def endpoint_of(call):
    key = (call["service"], call["operation"])
    if key in ENDPOINT_OF:
        return ENDPOINT_OF[key]
    return "sagemaker.api" if call["service"] == "sagemaker" else None


def endpoint_policies(world):
    """short service name -> [policy document or None], one per VPC endpoint of the template."""
    out = {}
    for lid in world.of_type("AWS::EC2::VPCEndpoint"):
        props = world.props(lid)
        name = world.resolve(props.get("ServiceName"))
        short = re.sub(r"^(?:com\.amazonaws|aws\.sagemaker)\.[a-z0-9-]+\.", "", name)
        out.setdefault(short, []).append(world.resolve(props.get("PolicyDocument")))
    return out


def evaluate_endpoint_policy(doc, identity, action, resource, context):
    """An endpoint policy allows a request when a statement does and none denies
    (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html);
    no policy allows everything. Requests here are by the identity, not a service."""
    if doc is None:
        return "Allow"
    ctx = dict(base_context(identity))
    ctx.update(context or {})
    ctx.setdefault("aws:PrincipalIsAWSService", "false")
    ctx.setdefault("aws:ResourceAccount", ACCOUNT)
    stmts = [st for st in _as_list(doc.get("Statement"))
             if _principal_matches(st.get("Principal"), identity.principal_arn, ACCOUNT, PARTITION)]
    return evaluate(stmts, action, resource, ctx)[0]


def check_endpoint_calls(world, identities, calls, key_to_identity):
    """Every logged call allowed by the policy of each endpoint of its service.
    Returns (findings, requests checked)."""
    policies = endpoint_policies(world)
    findings, checked = [], 0
    for c in calls:
        ep = endpoint_of(c)
        ident = identities.get(key_to_identity.get(c.get("access_key")))
        if ep is None or ep not in policies or ident is None:
            continue
        try:
            reqs = call_requests(world, c)
        except KeyError:
            continue
        for action, resource, ctx in reqs:
            for doc in policies[ep]:
                checked += 1
                verdict = evaluate_endpoint_policy(doc, ident, action, resource, ctx)
                if verdict != "Allow":
                    findings.append(f"ENDPOINT {ep} denies {ident.id}: {action} on {resource} "
                                    f"(call {c['service']} {c['operation']}; {verdict})")
    return findings, checked


# ---------------------------------------------------------------------------
# Needs the template implies (what SageMaker does on the caller's behalf)
# ---------------------------------------------------------------------------

SAGEMAKER_KMS_SOURCE = ("https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html"
                        " (CreateDomain: with KmsKeyId, the identity calling CreateApp needs"
                        " kms:CreateGrant and kms:DescribeKey on the key)")


def static_needs(world, identities):
    """Needs rows derived from the template alone, and findings about it.
    Today: a Studio domain that encrypts with a customer key (KmsKeyId) needs
    kms:CreateGrant and kms:DescribeKey on that key for every identity that may
    CreateApp in it (SageMaker makes the grant with the caller's permissions,
    so the request carries kms:GrantIsForAWSResource and kms:ViaService)."""
    rows, findings = [], []
    keys = key_policies(world)
    for lid in world.of_type("AWS::SageMaker::Domain"):
        props = world.props(lid)
        key = props.get("KmsKeyId")
        if not key:
            continue
        if not key.startswith("arn:"):
            key = world.arn("kms", f"key/{key}")
        dom = world.getatt(lid, "DomainId")
        spaces = [world.props(s) for s in world.of_type("AWS::SageMaker::Space")]
        spaces = [s for s in spaces if s.get("DomainId") == dom]
        starters = 0
        for ident in identities.values():
            for s in spaces:
                app_type = ((s.get("SpaceSettings") or {}).get("AppType") or "JupyterLab").lower()
                app = world.arn("sagemaker", f"app/{dom}/{s['SpaceName']}/{app_type}/default")
                ctx = _space_context(world, dom, s["SpaceName"])
                owner = (s.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
                if owner:  # the owner starts the app of a private space
                    ctx["sagemaker:UserProfileName"] = owner
                if decide(ident, "sagemaker:CreateApp", app, ctx, keys)[0] != "Allow":
                    continue
                starters += 1
                kctx = {"kms:ViaService": f"sagemaker.{world.region}.amazonaws.com",
                        "kms:CallerAccount": world.account}
                for action, extra in (("kms:CreateGrant", {"kms:GrantIsForAWSResource": "true"}),
                                      ("kms:DescribeKey", {})):
                    rows.append({"identity": ident.id, "capability": f"CreateApp in {lid}",
                                 "action": action, "resource": key, "context": dict(kctx, **extra),
                                 "by": "service", "source": SAGEMAKER_KMS_SOURCE})
                break
        if spaces and not starters:
            findings.append(f"no identity may CreateApp in the spaces of {lid}: the KMS rule checks nothing")
    return rows, findings


def check_rows(world, identities, rows, want_allowed=True):
    keys = key_policies(world)
    findings = []
    for r in rows:
        ident = identities.get(r["identity"])
        if ident is None:
            findings.append(f"row names unknown identity {r['identity']}")
            continue
        resource = world.resolve(r["resource"])
        ctx = world.resolve(r.get("context") or {})
        for res in _as_list(resource):
            verdict, why = decide(ident, r["action"], res, ctx, keys)
            if want_allowed and verdict != "Allow":
                findings.append(f"NEEDED but denied: {r['identity']} {r['action']} on {res} "
                                f"({r.get('capability', '')}; source {r.get('source', '?')})")
            if not want_allowed and verdict == "Allow":
                findings.append(f"FORBIDDEN but allowed: {r['identity']} {r['action']} on {res} "
                                f"({r.get('why', '')}; by statement {why})")
    return findings


def pattern_within(inner, outer):
    """Is every string matched by glob `inner` also matched by glob `outer`?
    (`*` and `?` in inner are symbols that only `*`/`?` of outer can cover.)"""
    a, b = inner, outer
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if j == len(b):
            r = i == len(a)
        elif b[j] == "*":
            r = go(i, j + 1) or (i < len(a) and go(i + 1, j))
        elif i == len(a):
            r = False
        elif b[j] == "?":
            r = a[i] != "*" and go(i + 1, j + 1)
        else:
            r = a[i] == b[j] and go(i + 1, j + 1)
        memo[(i, j)] = r
        return r
    return go(0, 0)


# Context keys that describe the caller's session, not the request: a row names
# them to give policy variables a value, not as a constraint.
PRINCIPAL_KEYS = ("aws:principal", "aws:username", "aws:userid", "aws:sourceidentity",
                  "sagemaker:domainid", "sagemaker:userprofilename")


def _sample(pattern):
    """A concrete resource matched by a wildcard pattern."""
    return pattern.replace("*", "sgc-sample").replace("?", "x")


def check_coverage(world, identities, needs):
    """Every Allow statement of each identity is covered by some needs row: for
    each of its actions and resources, a row of the same identity with the same
    action whose resource pattern contains the statement's, whose own request
    the statement allows, and each of whose request context keys (not the
    caller's session keys) the statement constrains (a condition key or a
    policy variable)."""
    findings = []
    by_ident = {}
    for r in needs:
        by_ident.setdefault(r["identity"], []).append(r)
    for ident in identities.values():
        rows = by_ident.get(ident.id, [])
        for st in ident.statements:
            if st.get("Effect") != "Allow":
                continue
            if "NotAction" in st or "NotResource" in st:
                findings.append(f"UNCOVERED {ident.id} {st.get('Sid', '?')}: NotAction/NotResource is wider than any row")
                continue
            constrained = {k.lower() for block in (st.get("Condition") or {}).values() for k in block}
            constrained |= {v.lower() for v in re.findall(r"\$\{([^},]+)", json.dumps(st))}
            for action in _as_list(st.get("Action")):
                for res in _as_list(st.get("Resource")):
                    why, stage = "no row with this action", 0
                    ok = False
                    for r in rows:
                        if not (action_match(action, r["action"]) and action_match(r["action"], action)):
                            continue
                        row_res = _as_list(world.resolve(r["resource"]))
                        if not any(pattern_within(res, rr) for rr in row_res):
                            if stage < 1:
                                why, stage = f"resource wider than each row's (e.g. {row_res[0]})", 1
                            continue
                        ctx = dict(base_context(ident))
                        ctx.update(world.resolve(r.get("context") or {}))
                        if not any(statement_applies(st, r["action"], _sample(rr), ctx) for rr in row_res):
                            if stage < 2:
                                why, stage = f"the statement does not allow the request of row {r.get('capability')!r}", 2
                            continue
                        loose = [k for k in (r.get("context") or {})
                                 if not k.lower().startswith(PRINCIPAL_KEYS) and k.lower() not in constrained]
                        if loose:
                            if stage < 3:
                                why, stage = (f"no condition on {', '.join(loose)}, which row "
                                              f"{r.get('capability', '')!r} names", 3)
                            continue
                        ok = True
                        break
                    if not ok:
                        findings.append(f"UNCOVERED {ident.id} {st.get('Sid', '?')}: {action} on {res}: {why}")
    return findings


def check_calls_have_rows(world, calls, key_to_identity, needs):
    findings = []
    for c in calls:
        ident_id = key_to_identity.get(c.get("access_key"))
        try:
            reqs = call_requests(world, c)
        except KeyError as e:
            findings.append(str(e))
            continue
        for action, resource, _ctx in reqs:
            ok = any(r["identity"] == ident_id and action_match(r["action"], action)
                     and any(arn_match(rr, resource) for rr in _as_list(world.resolve(r["resource"])))
                     for r in needs)
            if not ok:
                findings.append(f"NO ROW for logged call: {ident_id} {action} on {resource}")
    return findings


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def _load(path):
    with open(path) as f:
        return json.load(f)


def _calls(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    mode, template, stack = argv[1], _load(argv[2]), argv[3]
    world = World(template, stack)
    findings = []
    summary = ""
    if mode == "calls":
        calls, idmap = _calls(argv[4]), _load(argv[5])
        identities = identities_from_template(world)
        findings, n = check_calls(world, identities, calls, idmap)
        summary = f"{len(calls)} calls, {n} IAM requests evaluated"
    elif mode == "static":
        identities = identities_from_template(world)
        rows, findings = static_needs(world, identities)
        findings += check_rows(world, identities, rows)
        summary = (f"{len(identities)} identities, "
                   f"{sum(len(i.statements) for i in identities.values())} statements, "
                   f"{len(rows)} service-side needs")
    elif mode == "sgc-iam":
        doc = _load(argv[4])
        identities = identities_from_sgc_iam(world, doc)
        needs = doc.get("needs", [])
        findings = check_rows(world, identities, needs)
        findings += check_rows(world, identities, doc.get("forbidden", []), want_allowed=False)
        findings += check_coverage(world, identities, needs)
        if len(argv) > 6:
            findings += check_calls_have_rows(world, _calls(argv[5]), _load(argv[6]), needs)
        summary = (f"{len(identities)} identities, {len(needs)} needs, "
                   f"{len(doc.get('forbidden', []))} forbidden rows")
    else:
        print(f"iam.py: unknown mode {mode}", file=sys.stderr)
        return 2
    for f in findings:
        print(f)
    print(f"iam {mode}: {summary}; {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
