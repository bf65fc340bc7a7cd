#!/usr/bin/env python3
"""tests/deploy/stub.py - a loopback stand-in for the AWS APIs the emitted
scripts call, answering as the real services do (botocore's service models
give the shapes) and logging every call as one JSON line.

  stub.py --template stack.json --stack NAME --identities ids.json
          [--port N | --port-file FILE] [--state FILE] [--log FILE]
          [--pypi-port 443 --tls-cert C --tls-key K]
  stub.py --deploy [--port N | --port-file FILE] [--state FILE] [--log FILE]
          the deploy world: what `aws cloudformation deploy` calls
  stub.py --self-test        check every canned answer against botocore's model

Only ever listens on 127.0.0.1. Standard library only (Python 3.9+).

Which service: the SigV4 credential scope (Authorization header). Which
operation: X-Amz-Target (JSON protocol: sagemaker), the form's Action (query
protocol: sts, cloudformation), method + path (rest-json: codeartifact).

State (a JSON file, so that several runs of a fake machine share one world):
CodeArtifact token generation counter and the tokens issued (with owner and
expiry), app states (absent -> CreateApp -> Pending -> InService on the next
describe), notebook states, sessions started. POST /_stub/expire expires
every token issued so far; GET /_stub/state returns the state.
"""
import argparse
import base64
import datetime
import hashlib
import http.server
import json
import os
import re
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
import zipfile
import io
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import iam  # noqa: E402  (the resolver: one world for the stub and the IAM checks)

LOOPBACK = "127.0.0.1"
FIXED_TIME = 1714557600  # 2024-05-01T10:00:00Z, for creation times


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def save_state(path, state):
    """Write a fake's state (None: keep none) whole, through a rename."""
    if not path:
        return
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# the world: what the template, once deployed, would answer
# ---------------------------------------------------------------------------

class Fake:
    def __init__(self, template, stack, identities, state_path=None):
        self.world = iam.World(template, stack)
        self.identities = identities          # access key -> {"id", "arn"}
        self.state_path = state_path
        self.lock = threading.RLock()
        self.state = {"token_generation": 0, "tokens": {}, "apps": {}, "notebooks": {},
                      "sessions": [], "pending_describes": 1}
        if state_path and os.path.exists(state_path):
            with open(state_path) as f:
                self.state.update(json.load(f))
        self._index()

    def _index(self):
        w = self.world
        self.ca_domains = {}
        for lid in w.of_type("AWS::CodeArtifact::Domain"):
            self.ca_domains[w.getatt(lid, "Name")] = lid
        self.ca_repos = {}
        for lid in w.of_type("AWS::CodeArtifact::Repository"):
            self.ca_repos[(w.getatt(lid, "DomainName"), w.getatt(lid, "Name"))] = lid
        self.spaces = {}
        for lid in w.of_type("AWS::SageMaker::Space"):
            p = w.props(lid)
            self.spaces[(p["DomainId"], p["SpaceName"])] = (lid, p)
        self.notebooks = {}
        for lid in w.of_type("AWS::SageMaker::NotebookInstance"):
            self.notebooks[w.getatt(lid, "NotebookInstanceName").lower()] = lid
        self.domains = {w.getatt(lid, "DomainId"): lid for lid in w.of_type("AWS::SageMaker::Domain")}

    def save(self):
        save_state(self.state_path, self.state)

    def caller(self, access_key):
        ident = self.identities.get(access_key)
        if not ident:
            raise ApiError(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        return ident

    def check_region(self, region):
        if region != self.world.region:
            # the stack lives in one Region; other Regions have none of its resources
            return False
        return True

    # ---- sts ----
    def sts_GetCallerIdentity(self, p, region, key):
        ident = self.caller(key)
        arn = ident["arn"]
        m = re.match(r"arn:[^:]+:iam::(\d+):role/(?:.*/)?([^/]+)$", arn)
        if m:  # a role is seen through its session
            arn = f"arn:{self.world.partition}:sts::{m.group(1)}:assumed-role/{m.group(2)}/SageMaker"
        return {"UserId": "AIDA" + hashlib.sha256(key.encode()).hexdigest()[:17].upper(),
                "Account": self.world.account, "Arn": arn}

    # ---- cloudformation ----
    def cloudformation_DescribeStacks(self, p, region, key):
        self.caller(key)
        name = p.get("StackName", "")
        w = self.world
        if name not in (w.stack, w.stack_id) or not self.check_region(region):
            raise ApiError(400, "ValidationError", f"Stack with id {name} does not exist")
        outputs = []
        for k, v in w.outputs().items():
            o = w.t["Outputs"][k]
            item = {"OutputKey": k, "OutputValue": v if isinstance(v, str) else ",".join(map(str, v))}
            if o.get("Description"):
                item["Description"] = o["Description"]
            if o.get("Export"):
                item["ExportName"] = w.resolve(o["Export"]["Name"])
            outputs.append(item)
        params = [{"ParameterKey": k, "ParameterValue": v if isinstance(v, str) else ",".join(v)}
                  for k, v in w.params.items()]
        return {"Stacks": [{"StackId": w.stack_id, "StackName": w.stack, "CreationTime": FIXED_TIME,
                            "StackStatus": "CREATE_COMPLETE", "Parameters": params,
                            "Capabilities": ["CAPABILITY_IAM"], "Outputs": outputs,
                            "DisableRollback": False, "Tags": []}]}

    # ---- codeartifact ----
    def _ca_domain(self, p, region):
        dom = p.get("domain", "")
        owner = p.get("domain-owner") or self.world.account
        if dom not in self.ca_domains or owner != self.world.account or not self.check_region(region):
            raise ApiError(404, "ResourceNotFoundException", f"Domain {dom} not found in account {owner}")
        return dom

    def codeartifact_GetAuthorizationToken(self, p, region, key):
        self.caller(key)
        self._ca_domain(p, region)
        duration = int(p.get("duration") or 43200)
        if duration != 0 and not 900 <= duration <= 43200:
            raise ApiError(400, "ValidationException", "durationSeconds must be 0 or 900..43200")
        with self.lock:
            self.state["token_generation"] += 1
            n = self.state["token_generation"]
            rnd = base64.urlsafe_b64encode(os.urandom(24)).decode().rstrip("=")
            token = f"eyJ2ZXIiOjEsImlzdSI6{n:04d}.{rnd}"
            expires = int(time.time()) + (duration or 43200)
            self.state["tokens"][token] = {"generation": n, "access_key": key, "expires": expires,
                                           "expired": False, "domain": p["domain"]}
            self.save()
        return {"authorizationToken": token, "expiration": expires}

    def codeartifact_GetRepositoryEndpoint(self, p, region, key):
        self.caller(key)
        dom = self._ca_domain(p, region)
        repo = p.get("repository", "")
        if (dom, repo) not in self.ca_repos:
            raise ApiError(404, "ResourceNotFoundException", f"Repository {repo} not found in domain {dom}")
        fmt = p.get("format", "")
        if fmt not in ("npm", "pypi", "maven", "nuget", "generic", "ruby", "swift", "cargo"):
            raise ApiError(400, "ValidationException", f"1 validation error detected: format '{fmt}'")
        host = f"{dom}-{self.world.account}.d.codeartifact.{region}.amazonaws.com"
        return {"repositoryEndpoint": f"https://{host}/{fmt}/{repo}/"}

    def token_owner(self, token):
        """(access key, error) for a token presented to the package index."""
        with self.lock:
            t = self.state["tokens"].get(token)
            if t is None:
                return None, "unknown token"
            if t["expired"] or t["expires"] < time.time():
                return None, "expired token"
            return t["access_key"], None

    def expire_tokens(self):
        with self.lock:
            for t in self.state["tokens"].values():
                t["expired"] = True
            self.save()

    # ---- sagemaker ----
    def _space(self, p, region):
        key = (p.get("DomainId", ""), p.get("SpaceName", ""))
        if key not in self.spaces or not self.check_region(region):
            raise ApiError(400, "ResourceNotFound",
                           f"Space {key[1]} does not exist in domain {key[0]}")
        return self.spaces[key]

    def sagemaker_DescribeSpace(self, p, region, key):
        self.caller(key)
        lid, props = self._space(p, region)
        w = self.world
        out = {"DomainId": props["DomainId"], "SpaceArn": w.getatt(lid, "SpaceArn"),
               "SpaceName": props["SpaceName"], "Status": "InService",
               "CreationTime": FIXED_TIME, "LastModifiedTime": FIXED_TIME,
               "SpaceSettings": props.get("SpaceSettings") or {},
               "Url": w.getatt(lid, "Url"), "SpaceDisplayName": props.get("SpaceDisplayName", props["SpaceName"])}
        for k in ("OwnershipSettings", "SpaceSharingSettings"):
            if props.get(k):
                out[k] = props[k]
        return out

    def _app_key(self, p):
        owner = p.get("SpaceName") or p.get("UserProfileName") or ""
        return f"{p.get('DomainId', '')}/{owner}/{p.get('AppType', '')}/{p.get('AppName', '')}"

    def _app_arn(self, p):
        owner = p.get("SpaceName") or p.get("UserProfileName")
        return self.world.arn("sagemaker", f"app/{p['DomainId']}/{owner}/{p['AppType'].lower()}/{p['AppName']}")

    def sagemaker_DescribeApp(self, p, region, key):
        self.caller(key)
        if p.get("SpaceName"):
            self._space(p, region)
        with self.lock:
            app = self.state["apps"].get(self._app_key(p))
            if app is None or app["Status"] == "Absent":
                raise ApiError(400, "ResourceNotFound", f"App {self._app_key(p)} does not exist.")
            status = app["Status"]
            if status == "Pending":
                app["describes"] = app.get("describes", 0) + 1
                if app["describes"] > self.state.get("pending_describes", 1):
                    app["Status"] = status = "InService"
                self.save()
        out = {"AppArn": self._app_arn(p), "AppType": p["AppType"], "AppName": p["AppName"],
               "DomainId": p["DomainId"], "Status": status, "CreationTime": FIXED_TIME}
        if p.get("SpaceName"):
            out["SpaceName"] = p["SpaceName"]
        else:
            out["UserProfileName"] = p.get("UserProfileName")
        if app.get("ResourceSpec"):
            out["ResourceSpec"] = app["ResourceSpec"]
        return out

    def sagemaker_CreateApp(self, p, region, key):
        self.caller(key)
        for req in ("DomainId", "AppType", "AppName"):
            if not p.get(req):
                raise ApiError(400, "ValidationException", f"{req} is required")
        if bool(p.get("SpaceName")) == bool(p.get("UserProfileName")):
            raise ApiError(400, "ValidationException", "give exactly one of SpaceName and UserProfileName")
        if p.get("SpaceName"):
            _lid, props = self._space(p, region)
            want = (props.get("SpaceSettings") or {}).get("AppType")
            if want and want != p["AppType"]:
                raise ApiError(400, "ValidationException", f"space runs {want} apps, not {p['AppType']}")
        spec = p.get("ResourceSpec") or {}
        itype = spec.get("InstanceType")
        if itype is not None and not re.fullmatch(r"(system|ml\.[a-z0-9]+\.[a-z0-9]+)", itype):
            raise ApiError(400, "ValidationException", f"invalid InstanceType {itype}")
        with self.lock:
            k = self._app_key(p)
            app = self.state["apps"].get(k)
            if app and app["Status"] in ("InService", "Pending", "Deleting"):
                raise ApiError(400, "ResourceInUse", f"App {k} already exists")
            self.state["apps"][k] = {"Status": "Pending", "describes": 0, "ResourceSpec": spec}
            self.save()
        return {"AppArn": self._app_arn(p)}

    def sagemaker_StartSession(self, p, region, key):
        self.caller(key)
        arn = p.get("ResourceIdentifier", "")
        m = re.match(r"arn:[^:]+:sagemaker:([^:]+):(\d+):space/([^/]+)/([^/]+)$", arn)
        if not m or m.group(2) != self.world.account:
            raise ApiError(400, "ResourceNotFound", f"Resource {arn} does not exist")
        _lid, props = self._space({"DomainId": m.group(3), "SpaceName": m.group(4)}, m.group(1))
        settings = props.get("SpaceSettings") or {}
        if settings.get("RemoteAccess") != "ENABLED":
            raise ApiError(400, "ValidationException", "Remote access is not enabled for this space")
        app_key = f"{m.group(3)}/{m.group(4)}/{settings.get('AppType')}/default"
        with self.lock:
            app = self.state["apps"].get(app_key)
            if not app or app["Status"] != "InService":
                raise ApiError(400, "ValidationException", f"App of space {m.group(4)} is not InService")
            n = len(self.state["sessions"]) + 1
            sid = f"sgc-test-{n:03d}-{hashlib.sha256(os.urandom(8)).hexdigest()[:17]}"
            session = {"SessionId": sid,
                       "StreamUrl": f"wss://ssmmessages.{region}.amazonaws.com/v1/data-channel/{sid}"
                                    f"?role=publish_subscribe&cell-number=AAEAAQ",
                       "TokenValue": "AAEAA" + base64.b64encode(os.urandom(48)).decode()}
            self.state["sessions"].append(dict(session, ResourceIdentifier=arn, access_key=key))
            self.save()
        return session

    def sagemaker_StopNotebookInstance(self, p, region, key):
        self.caller(key)
        name = p.get("NotebookInstanceName", "")
        if name.lower() not in self.notebooks or not self.check_region(region):
            raise ApiError(400, "ValidationException", f"RecordNotFound: notebook instance {name}")
        with self.lock:
            self.state["notebooks"][name.lower()] = "Stopping"
            self.save()
        return {}

    def sagemaker_DescribeNotebookInstance(self, p, region, key):
        self.caller(key)
        name = p.get("NotebookInstanceName", "")
        if name.lower() not in self.notebooks:
            raise ApiError(400, "ValidationException", f"RecordNotFound: notebook instance {name}")
        lid = self.notebooks[name.lower()]
        return {"NotebookInstanceArn": self.world.ref(lid),
                "NotebookInstanceName": self.world.getatt(lid, "NotebookInstanceName"),
                "NotebookInstanceStatus": self.state["notebooks"].get(name.lower(), "InService"),
                "CreationTime": FIXED_TIME, "LastModifiedTime": FIXED_TIME}


# ---------------------------------------------------------------------------
# the deploy world: what `aws cloudformation deploy` calls (stacks, change
# sets, S3 uploads), enforced as CloudFormation does
# ---------------------------------------------------------------------------

TEMPLATE_BODY_MAX = 51200
IAM_NAME_PROPS = ("RoleName", "ManagedPolicyName", "GroupName", "UserName", "InstanceProfileName")
ACCOUNT = "123456789012"


def members(form, prefix):
    """The query protocol's flattened list `prefix.member.N[.Field]` back as a list."""
    items = {}
    rx = re.compile(re.escape(prefix) + r"\.member\.(\d+)(?:\.(.+))?$")
    for k, v in form.items():
        m = rx.match(k)
        if not m:
            continue
        n = int(m.group(1))
        if m.group(2):
            items.setdefault(n, {})[m.group(2)] = v
        else:
            items[n] = v
    return [items[n] for n in sorted(items)]


def required_capabilities(template):
    caps = set()
    for r in (template.get("Resources") or {}).values():
        if str(r.get("Type", "")).startswith("AWS::IAM::"):
            named = any(k in (r.get("Properties") or {}) for k in IAM_NAME_PROPS)
            caps.add("CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM")
    if "Transform" in template:
        caps.add("CAPABILITY_AUTO_EXPAND")
    return caps


class DeployWorld:
    """Stacks per (Region, name), their change sets, and S3 objects, in a JSON state file."""

    def __init__(self, state_path=None):
        self.state_path = state_path
        self.lock = threading.RLock()
        self.identities = {}
        self.state = {"stacks": {}, "change_sets": {}, "objects": {}, "serial": 0}
        if state_path and os.path.exists(state_path):
            with open(state_path) as f:
                self.state.update(json.load(f))

    def save(self):
        save_state(self.state_path, self.state)

    def caller(self, key):
        return {"id": "deployer", "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer"}

    def _serial(self):
        self.state["serial"] += 1
        return f"{self.state['serial']:08x}-5ca1-4e00-8000-{self.state['serial']:012x}"

    def _stack(self, region, name):
        st = self.state["stacks"].get(f"{region}/{name}")
        if st is None:  # a stack ID names it too
            st = next((x for x in self.state["stacks"].values() if x["StackId"] == name), None)
        return st

    def _stack_out(self, st):
        out = {"StackId": st["StackId"], "StackName": st["StackName"], "CreationTime": FIXED_TIME,
               "StackStatus": st["StackStatus"], "DisableRollback": False, "Tags": [],
               "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(st["Parameters"].items())]}
        if st.get("Capabilities"):
            out["Capabilities"] = st["Capabilities"]
        if st["StackStatus"] != "REVIEW_IN_PROGRESS":
            out["LastUpdatedTime"] = FIXED_TIME
        return out

    def cloudformation_DescribeStacks(self, p, region, key):
        name = p.get("StackName", "")
        st = self._stack(region, name)
        if st is None:
            raise ApiError(400, "ValidationError", f"Stack with id {name} does not exist")
        return {"Stacks": [self._stack_out(st)]}

    def cloudformation_GetTemplateSummary(self, p, region, key):
        st = self._stack(region, p.get("StackName", ""))
        if st is None or st["Template"] is None:
            raise ApiError(400, "ValidationError", f"Stack with id {p.get('StackName', '')} does not exist")
        return self._summary(st["Template"])

    def _summary(self, t):
        params = []
        for k, v in (t.get("Parameters") or {}).items():
            item = {"ParameterKey": k, "ParameterType": v.get("Type", "String"), "NoEcho": bool(v.get("NoEcho"))}
            if "Default" in v:
                item["DefaultValue"] = str(v["Default"])
            if v.get("Description"):
                item["Description"] = v["Description"]
            params.append(item)
        return {"Parameters": params, "Capabilities": sorted(required_capabilities(t)),
                "ResourceTypes": sorted({r.get("Type", "") for r in (t.get("Resources") or {}).values()}),
                "Version": "2010-09-09"}

    def _template_from(self, p):
        body, url = p.get("TemplateBody"), p.get("TemplateURL")
        if (body is None) == (url is None):
            raise ApiError(400, "ValidationError", "Exactly one of TemplateBody or TemplateUrl must be specified.")
        if body is not None:
            if len(body.encode()) > TEMPLATE_BODY_MAX:
                raise ApiError(400, "ValidationError",
                               "1 validation error detected: Value at 'templateBody' failed to satisfy "
                               f"constraint: Member must have length less than or equal to {TEMPLATE_BODY_MAX}")
            text = body
        else:
            path = urllib.parse.urlsplit(url).path.lstrip("/")
            obj = self.state["objects"].get(urllib.parse.unquote(path))
            if obj is None:
                raise ApiError(400, "ValidationError", f"S3 error: The specified key does not exist. ({url})")
            text = base64.b64decode(obj["data"]).decode()
        try:
            t = json.loads(text)
        except ValueError as e:
            raise ApiError(400, "ValidationError", f"Template format error: not JSON (the stub reads JSON): {e}")
        if not isinstance(t, dict) or not isinstance(t.get("Resources"), dict) or not t["Resources"]:
            raise ApiError(400, "ValidationError", "Template format error: At least one Resources member must be defined.")
        return t

    def cloudformation_CreateChangeSet(self, p, region, key):
        name, cs_name = p.get("StackName", ""), p.get("ChangeSetName", "")
        kind = p.get("ChangeSetType", "UPDATE")
        t = self._template_from(p)
        given = {x["ParameterKey"]: x for x in members(p, "Parameters")}
        declared = t.get("Parameters") or {}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise ApiError(400, "ValidationError", f"Parameters: [{', '.join(unknown)}] do not exist in the template")
        with self.lock:
            st = self._stack(region, name)
            exists = st is not None and st["StackStatus"] != "REVIEW_IN_PROGRESS"
            if kind == "CREATE" and exists:
                raise ApiError(400, "ValidationError",
                               f"Stack [{name}] already exists and cannot be created again with the changeSet [{cs_name}].")
            if kind == "UPDATE" and not exists:
                raise ApiError(400, "ValidationError", f"Stack [{name}] does not exist")
            old_params = st["Parameters"] if exists else {}
            values = {}
            for k, d in declared.items():
                g = given.get(k)
                if g and g.get("UsePreviousValue") == "true" and k in old_params:
                    values[k] = old_params[k]
                elif g and "ParameterValue" in g:
                    values[k] = g["ParameterValue"]
                elif "Default" in d:
                    values[k] = str(d["Default"])
            missing = sorted(k for k in declared if k not in values)
            if missing:
                raise ApiError(400, "ValidationError", f"Parameters: [{', '.join(missing)}] must have values")
            caps = set(members(p, "Capabilities"))
            for need in sorted(required_capabilities(t)):
                ok = need in caps or (need == "CAPABILITY_IAM" and "CAPABILITY_NAMED_IAM" in caps)
                if not ok:
                    raise ApiError(400, "InsufficientCapabilitiesException", f"Requires capabilities : [{need}]")
            if st is None:
                st = {"StackName": name, "StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT}:stack/{name}/{self._serial()}",
                      "StackStatus": "REVIEW_IN_PROGRESS", "Template": None, "Parameters": {}, "Capabilities": []}
                self.state["stacks"][f"{region}/{name}"] = st
            cs_id = f"arn:aws:cloudformation:{region}:{ACCOUNT}:changeSet/{cs_name}/{self._serial()}"
            changes = self._changes(st["Template"] if exists else None, t)
            cs = {"ChangeSetId": cs_id, "ChangeSetName": cs_name, "StackId": st["StackId"], "StackName": name,
                  "Region": region, "Type": kind, "Template": t, "Parameters": values,
                  "Capabilities": sorted(caps), "Changes": changes}
            if not changes and values == old_params:
                cs.update(Status="FAILED", ExecutionStatus="UNAVAILABLE",
                          StatusReason="The submitted information didn't contain changes. "
                                       "Submit different information to create a change set.")
            else:
                cs.update(Status="CREATE_COMPLETE", ExecutionStatus="AVAILABLE")
            self.state["change_sets"][cs_id] = cs
            self.save()
        return {"Id": cs_id, "StackId": st["StackId"]}

    @staticmethod
    def _changes(old, new):
        old_r = (old or {}).get("Resources") or {}
        new_r = new.get("Resources") or {}
        out = []
        for lid in sorted(set(old_r) | set(new_r)):
            a, b = old_r.get(lid), new_r.get(lid)
            if a == b:
                continue
            rc = {"LogicalResourceId": lid, "ResourceType": (b or a).get("Type", ""), "Scope": [], "Details": []}
            if a is None:
                rc["Action"] = "Add"
            elif b is None:
                rc["Action"] = "Remove"
            else:
                rc["Action"] = "Modify"
                rc["Replacement"] = "True" if a.get("Type") != b.get("Type") else "Conditional"
                rc["Scope"] = ["Properties"]
            out.append({"Type": "Resource", "ResourceChange": rc})
        return out

    def _change_set(self, p, region):
        cs_name, stack = p.get("ChangeSetName", ""), p.get("StackName")
        cs = self.state["change_sets"].get(cs_name)
        if cs is None:
            cs = next((c for c in self.state["change_sets"].values()
                       if c["ChangeSetName"] == cs_name and stack in (c["StackName"], c["StackId"])), None)
        if cs is None or cs["Region"] != region:
            raise ApiError(404, "ChangeSetNotFound", f"ChangeSet [{cs_name}] does not exist")
        return cs

    def cloudformation_DescribeChangeSet(self, p, region, key):
        cs = self._change_set(p, region)
        out = {k: cs[k] for k in ("ChangeSetId", "ChangeSetName", "StackId", "StackName", "Status",
                                   "ExecutionStatus", "Capabilities", "Changes")}
        out["Parameters"] = [{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(cs["Parameters"].items())]
        out["CreationTime"] = FIXED_TIME
        if cs.get("StatusReason"):
            out["StatusReason"] = cs["StatusReason"]
        return out

    def cloudformation_ExecuteChangeSet(self, p, region, key):
        with self.lock:
            cs = self._change_set(p, region)
            if cs["ExecutionStatus"] != "AVAILABLE":
                raise ApiError(400, "InvalidChangeSetStatus",
                               f"ChangeSet [{cs['ChangeSetId']}] cannot be executed in its current status of [{cs['Status']}]")
            st = self._stack(region, cs["StackName"])
            st.update(Template=cs["Template"], Parameters=cs["Parameters"], Capabilities=cs["Capabilities"],
                      StackStatus="CREATE_COMPLETE" if cs["Type"] == "CREATE" else "UPDATE_COMPLETE")
            cs["ExecutionStatus"] = "EXECUTE_COMPLETE"
            self.save()
        return {}

    def cloudformation_GetTemplate(self, p, region, key):
        st = self._stack(region, p.get("StackName", ""))
        if st is None or st["Template"] is None:
            raise ApiError(400, "ValidationError", f"Stack with id {p.get('StackName', '')} does not exist")
        return {"TemplateBody": json.dumps(st["Template"], indent=1), "StagesAvailable": ["Original", "Processed"]}

    # ---- s3 (rest-xml, path-style): what `cloudformation deploy --s3-bucket` sends ----
    def s3_HeadObject(self, p, region, key):
        obj = self.state["objects"].get(f"{p['Bucket']}/{p['Key']}")
        if obj is None:
            raise ApiError(404, "NotFound", "Not Found")
        return {"_headers": {"ETag": f'"{obj["md5"]}"', "Content-Length-Object": str(obj["size"])}}

    def s3_PutObject(self, p, region, key):
        data = p["_body"]
        with self.lock:
            md5 = hashlib.md5(data).hexdigest()
            self.state["objects"][f"{p['Bucket']}/{p['Key']}"] = {
                "data": base64.b64encode(data).decode(), "size": len(data), "md5": md5}
            self.save()
        return {"_headers": {"ETag": f'"{md5}"'}}


def decode_aws_chunked(body):
    """The payload of an `aws-chunked` body (size;chunk-signature=...\r\ndata\r\n ... 0\r\ntrailers)."""
    out, i = b"", 0
    while True:
        j = body.index(b"\r\n", i)
        size = int(body[i:j].split(b";")[0], 16)
        if size == 0:
            return out
        out += body[j + 2:j + 2 + size]
        i = j + 2 + size + 2


# ---------------------------------------------------------------------------
# protocols
# ---------------------------------------------------------------------------

REST_ROUTES = {  # codeartifact (rest-json): (method, path) -> operation
    ("POST", "/v1/authorization-token"): "GetAuthorizationToken",
    ("GET", "/v1/repository/endpoint"): "GetRepositoryEndpoint",
}
QUERY_NS = {"sts": "https://sts.amazonaws.com/doc/2011-06-15/",
            "cloudformation": "http://cloudformation.amazonaws.com/doc/2010-05-15/"}
TIMESTAMP_MEMBERS = {"CreationTime", "LastModifiedTime", "expiration"}


def to_xml(name, value):
    if isinstance(value, dict):
        return f"<{name}>" + "".join(to_xml(k, v) for k, v in value.items()) + f"</{name}>"
    if isinstance(value, list):
        return f"<{name}>" + "".join(to_xml("member", v) for v in value) + f"</{name}>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif name in TIMESTAMP_MEMBERS and isinstance(value, (int, float)):
        value = iso(value)
    return f"<{name}>{escape(str(value))}</{name}>"


def serialise(protocol, service, op, result, request_id):
    """(status, headers, body) of a successful answer."""
    if protocol == "rest-xml":  # s3: what matters is in the headers
        return 200, dict(result.get("_headers", {})), b""
    if protocol == "query":
        body = (f'<{op}Response xmlns="{QUERY_NS[service]}">' + to_xml(f"{op}Result", result) +
                f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{op}Response>")
        return 200, {"Content-Type": "text/xml"}, body.encode()
    ctype = "application/x-amz-json-1.1" if protocol == "json" else "application/json"
    return 200, {"Content-Type": ctype}, json.dumps(result).encode()


def serialise_error(protocol, service, err, request_id):
    if protocol == "rest-xml":
        body = (f"<Error><Code>{escape(err.code)}</Code><Message>{escape(err.message)}</Message>"
                f"<RequestId>{request_id}</RequestId></Error>")
        return err.status, {"Content-Type": "application/xml"}, body.encode()
    if protocol == "query":
        body = (f'<ErrorResponse xmlns="{QUERY_NS.get(service, "")}"><Error><Type>Sender</Type>'
                f"<Code>{escape(err.code)}</Code><Message>{escape(err.message)}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>")
        return err.status, {"Content-Type": "text/xml"}, body.encode()
    if protocol == "json":
        body = {"__type": err.code, "Message": err.message}
        return err.status, {"Content-Type": "application/x-amz-json-1.1",
                            "x-amzn-ErrorType": err.code}, json.dumps(body).encode()
    body = {"message": err.message}
    return err.status, {"Content-Type": "application/json",
                        "x-amzn-ErrorType": f"{err.code}:http://internal.amazon.com/coral/com.amazonaws.{service}/"}, \
        json.dumps(body).encode()


CRED_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")


def identify(method, path, headers, body):
    """(service, protocol, operation, params, region, access_key) of a request."""
    auth = headers.get("Authorization", "")
    m = CRED_RE.search(auth)
    if not m:
        raise ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
    access_key, _date, region, service = m.groups()
    url = urllib.parse.urlsplit(path)
    target = headers.get("X-Amz-Target")
    ctype = headers.get("Content-Type", "")
    if target:
        op = target.split(".", 1)[1]
        params = json.loads(body or b"{}")
        return service, "json", op, params, region, access_key
    if ctype.startswith("application/x-www-form-urlencoded"):
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        op = form.pop("Action", "")
        form.pop("Version", None)
        return service, "query", op, form, region, access_key
    if service == "s3":  # path-style: /bucket/key
        bucket, _, obj = urllib.parse.unquote(url.path).lstrip("/").partition("/")
        op = {"HEAD": "HeadObject", "PUT": "PutObject", "GET": "GetObject"}.get(method)
        if op is None or not bucket or not obj:
            raise ApiError(400, "InvalidRequest", f"the stub does not implement s3 {method} {url.path}")
        if "aws-chunked" in headers.get("Content-Encoding", "") or \
                headers.get("x-amz-content-sha256", "").startswith("STREAMING-"):
            body = decode_aws_chunked(body)
        return service, "rest-xml", op, {"Bucket": bucket, "Key": obj, "_body": body}, region, access_key
    op = REST_ROUTES.get((method, url.path))
    if op is None:
        raise ApiError(404, "UnknownOperationException", f"no route {method} {url.path}")
    params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
    if body:
        try:
            params.update(json.loads(body))
        except ValueError:
            pass
    return service, "rest-json", op, params, region, access_key


class Logger:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, entry):
        if not self.path:
            return
        with self.lock, open(self.path, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")


def make_handler(fake, log):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "sgc-aws-stub"

        def log_message(self, fmt, *args):  # quiet: the JSON log is the record
            pass

        def _send(self, status, headers, body):
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-RequestId", self.request_id)
            self.end_headers()
            self.wfile.write(body)

        def _body(self):
            if "chunked" in self.headers.get("Transfer-Encoding", ""):
                out = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return out
                    out += self.rfile.read(size)
                    self.rfile.readline()
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def handle_any(self):
            self.request_id = hashlib.sha256(os.urandom(8)).hexdigest()[:32]
            body = self._body()
            if self.path.startswith("/_stub/"):
                return self.control(body)
            entry = {"t": round(time.time(), 3), "method": self.command, "path": self.path}
            protocol, service = "json", "unknown"
            try:
                service, protocol, op, params, region, key = identify(
                    self.command, self.path, self.headers, body)
                logged = {k: v for k, v in params.items() if k != "_body"}
                for k in ("TemplateBody", "_body"):
                    if k in params:
                        data = params[k] if isinstance(params[k], bytes) else params[k].encode()
                        logged[k] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                entry.update(service=service, operation=op, params=logged, region=region,
                             access_key=key, identity=(fake.identities.get(key) or {}).get("id"))
                fn = getattr(fake, f"{service}_{op}", None)
                if fn is None:
                    raise ApiError(400, "InvalidAction" if protocol == "query" else "UnknownOperationException",
                                   f"the stub does not implement {service} {op}")
                result = fn(params, region, key)
                status, headers, out = serialise(protocol, service, op, result, self.request_id)
            except ApiError as e:
                entry["error"] = e.code
                status, headers, out = serialise_error(protocol, service, e, self.request_id)
            except Exception as e:  # a stub bug must show, not hang the client
                entry["error"] = f"stub: {e!r}"
                status, headers, out = serialise_error(protocol, service,
                                                       ApiError(500, "InternalFailure", repr(e)), self.request_id)
            entry["status"] = status
            log.write(entry)
            if self.command == "HEAD":
                out = b""
            self._send(status, headers, out)

        def control(self, body):
            if self.path == "/_stub/expire" and self.command == "POST":
                fake.expire_tokens()
                return self._send(200, {"Content-Type": "application/json"}, b'{"expired": true}')
            if self.path == "/_stub/state":
                with fake.lock:
                    out = json.dumps(fake.state).encode()
                return self._send(200, {"Content-Type": "application/json"}, out)
            return self._send(404, {}, b"")

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any

    return Handler


# ---------------------------------------------------------------------------
# the CodeArtifact PyPI index (HTTPS, basic auth aws:<token>)
# ---------------------------------------------------------------------------

PROBE = "sgc-probe"


def probe_wheel():
    name = "sgc_probe-1.0-py3-none-any.whl"
    files = {
        "sgc_probe/__init__.py": b"VERSION = '1.0'\n",
        "sgc_probe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: sgc-probe\nVersion: 1.0\n",
        "sgc_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: sgc-stub\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = ""
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
        record += f"{path},sha256={digest},{len(data)}\n"
    record += "sgc_probe-1.0.dist-info/RECORD,,\n"
    files["sgc_probe-1.0.dist-info/RECORD"] = record.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path, data in files.items():
            z.writestr(zipfile.ZipInfo(path, (2024, 5, 1, 0, 0, 0)), data)
    return name, buf.getvalue()


def make_pypi_handler(fake, log):
    wheel_name, wheel = probe_wheel()
    digest = hashlib.sha256(wheel).hexdigest()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def _send(self, status, body, ctype="text/html", extra=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            host = (self.headers.get("Host") or "").split(":")[0]
            m = re.match(r"([a-z0-9-]+)-(\d{12})\.d\.codeartifact\.([a-z0-9-]+)\.amazonaws\.com$", host)
            entry = {"t": round(time.time(), 3), "service": "codeartifact", "operation": "ReadFromRepository",
                     "method": "GET", "path": self.path, "host": host}
            auth = self.headers.get("Authorization", "")
            key = err = None
            if auth.startswith("Basic "):
                user, _, token = base64.b64decode(auth[6:]).decode().partition(":")
                key, err = fake.token_owner(token) if user == "aws" else (None, "user is not aws")
            else:
                err = "no basic auth"
            pm = re.match(r"/pypi/([^/]+)/simple/(?:([^/]+)/(?:([^/]+))?)?$", self.path.split("?")[0])
            entry.update(region=m.group(3) if m else None, access_key=key,
                         identity=(fake.identities.get(key) or {}).get("id"),
                         params={"domain": m.group(1) if m else None, "domain-owner": m.group(2) if m else None,
                                 "repository": pm.group(1) if pm else None})
            if err:
                entry.update(status=401, error=err)
                log.write(entry)
                return self._send(401, b"Unauthorized", extra={"WWW-Authenticate": 'Basic realm="codeartifact"'})
            if not m or not pm or (m.group(1), pm.group(1)) not in fake.ca_repos:
                entry.update(status=404, error="no such repository")
                log.write(entry)
                return self._send(404, b"Not Found")
            project, filename = pm.group(2), pm.group(3)
            if project is None:
                body = f'<html><body><a href="{PROBE}/">{PROBE}</a></body></html>'.encode()
            elif project != PROBE:
                entry.update(status=404, error="no such package")
                log.write(entry)
                return self._send(404, b"Not Found")
            elif filename is None:
                body = (f'<html><body><a href="{wheel_name}#sha256={digest}">{wheel_name}</a>'
                        f"</body></html>").encode()
            elif filename == wheel_name:
                entry["status"] = 200
                log.write(entry)
                return self._send(200, wheel, "application/octet-stream")
            else:
                entry.update(status=404, error="no such file")
                log.write(entry)
                return self._send(404, b"Not Found")
            entry["status"] = 200
            log.write(entry)
            return self._send(200, body)

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


# ---------------------------------------------------------------------------
# self-test against botocore's models
# ---------------------------------------------------------------------------

def _load_model(service):
    import botocore.loaders
    return botocore.loaders.create_loader().load_service_model(service, "service-2")


def _check_shape(model, shape_name, value, where, problems):
    shape = model["shapes"][shape_name]
    t = shape["type"]
    if t == "structure":
        if not isinstance(value, dict):
            problems.append(f"{where}: {shape_name} wants an object")
            return
        for k in shape.get("required", []):
            if k not in value:
                problems.append(f"{where}: required member {k} missing")
        for k, v in value.items():
            if k not in shape["members"]:
                problems.append(f"{where}: {k} is not a member of {shape_name}")
                continue
            _check_shape(model, shape["members"][k]["shape"], v, f"{where}.{k}", problems)
    elif t == "list":
        if not isinstance(value, list):
            problems.append(f"{where}: wants a list")
            return
        for i, v in enumerate(value):
            _check_shape(model, shape["member"]["shape"], v, f"{where}[{i}]", problems)
    elif t == "map":
        if not isinstance(value, dict):
            problems.append(f"{where}: wants a map")
    elif t == "string":
        if not isinstance(value, str):
            problems.append(f"{where}: wants a string")
        elif "enum" in shape and value not in shape["enum"]:
            problems.append(f"{where}: {value!r} not in enum {shape_name}")
    elif t == "timestamp":
        if not isinstance(value, (int, float)):
            problems.append(f"{where}: wants a timestamp")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{where}: wants an integer")
    elif t == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{where}: wants a boolean")


def _normalise(v):
    if isinstance(v, dict):
        return {k: _normalise(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_normalise(x) for x in v]
    if isinstance(v, datetime.datetime):
        return int(v.timestamp())
    return v


def _headers(headers):
    """Headers as botocore sees them: a case-insensitive mapping."""
    from botocore.awsrequest import HeadersDict
    return HeadersDict(headers)


def sample_fake():
    """A small world with every kind of resource the stub answers about."""
    t = {"Rules": {"R": {"Assertions": [{"Assert": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}}]}},
         "Resources": {
             "Dom": {"Type": "AWS::CodeArtifact::Domain", "Properties": {"DomainName": "d1"}},
             "Repo": {"Type": "AWS::CodeArtifact::Repository",
                      "Properties": {"DomainName": {"Fn::GetAtt": ["Dom", "Name"]}, "RepositoryName": "r1"}},
             "Sd": {"Type": "AWS::SageMaker::Domain", "Properties": {}},
             "Sp": {"Type": "AWS::SageMaker::Space", "Properties": {
                 "DomainId": {"Fn::GetAtt": ["Sd", "DomainId"]}, "SpaceName": "s1",
                 "OwnershipSettings": {"OwnerUserProfileName": "u1"},
                 "SpaceSharingSettings": {"SharingType": "Private"},
                 "SpaceSettings": {"AppType": "CodeEditor", "RemoteAccess": "ENABLED",
                                   "CodeEditorAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}}}}},
             "Nb": {"Type": "AWS::SageMaker::NotebookInstance", "Properties": {}},
         },
         "Outputs": {"SpArn": {"Value": {"Fn::GetAtt": ["Sp", "SpaceArn"]}, "Description": "d",
                               "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-SpArn"}}}}}
    ids = {"AKIDTEST": {"id": "Dev", "arn": "arn:aws:iam::123456789012:user/dev"},
           "AKIDROLE": {"id": "Role", "arn": "arn:aws:iam::123456789012:role/r"}}
    return Fake(t, "st", ids)


def self_test():
    """Each canned answer: members and types as botocore's model says, and
    botocore's own response parser reads back exactly what was meant."""
    try:
        import botocore.parsers
        import botocore.model
    except ImportError:
        print("stub self-test: SKIP model checks: botocore is not importable by this python")
        return 0
    fake = sample_fake()
    dom = fake.world.getatt("Sd", "DomainId")
    r = "eu-west-1"
    ok = [
        ("sts", "GetCallerIdentity", {}, "AKIDROLE"),
        ("cloudformation", "DescribeStacks", {"StackName": "st"}, "AKIDTEST"),
        ("codeartifact", "GetAuthorizationToken", {"domain": "d1", "domain-owner": "123456789012"}, "AKIDROLE"),
        ("codeartifact", "GetRepositoryEndpoint", {"domain": "d1", "repository": "r1", "format": "pypi"}, "AKIDROLE"),
        ("sagemaker", "DescribeSpace", {"DomainId": dom, "SpaceName": "s1"}, "AKIDTEST"),
        ("sagemaker", "CreateApp", {"DomainId": dom, "SpaceName": "s1", "AppType": "CodeEditor",
                                    "AppName": "default", "ResourceSpec": {"InstanceType": "ml.t3.large"}}, "AKIDTEST"),
        ("sagemaker", "DescribeApp", {"DomainId": dom, "SpaceName": "s1", "AppType": "CodeEditor",
                                      "AppName": "default"}, "AKIDTEST"),
        ("sagemaker", "DescribeApp", {"DomainId": dom, "SpaceName": "s1", "AppType": "CodeEditor",
                                      "AppName": "default"}, "AKIDTEST"),
        ("sagemaker", "StartSession", {"ResourceIdentifier": fake.world.getatt("Sp", "SpaceArn")}, "AKIDTEST"),
        ("sagemaker", "StopNotebookInstance",
         {"NotebookInstanceName": fake.world.getatt("Nb", "NotebookInstanceName")}, "AKIDROLE"),
    ]
    errors = [
        ("sagemaker", "DescribeApp", {"DomainId": dom, "SpaceName": "s1", "AppType": "JupyterLab",
                                      "AppName": "default"}, "ResourceNotFound"),
        ("cloudformation", "DescribeStacks", {"StackName": "other"}, "ValidationError"),
        ("codeartifact", "GetAuthorizationToken", {"domain": "nope"}, "ResourceNotFoundException"),
    ]
    protocols = {"sts": "query", "cloudformation": "query", "codeartifact": "rest-json", "sagemaker": "json"}
    problems = []
    checked = 0
    models = {s: _load_model(s) for s in list(protocols) + ["s3"]}
    for service, op, params, key in ok:
        model = models[service]
        shapes = botocore.model.ServiceModel(model, service_name=service)
        out_shape = shapes.operation_model(op).output_shape
        result = getattr(fake, f"{service}_{op}")(params, r, key)
        if out_shape is not None:
            _check_shape(model, out_shape.name, result, f"{service}.{op}", problems)
        status, headers, body = serialise(protocols[service], service, op, result, "req-1")
        parser = botocore.parsers.create_parser(protocols[service])
        parsed = parser.parse({"status_code": status, "headers": _headers(headers), "body": body}, out_shape)
        parsed.pop("ResponseMetadata", None)
        if _normalise(parsed) != _normalise(result):
            problems.append(f"{service}.{op}: botocore reads {_normalise(parsed)!r}, meant {result!r}")
        checked += 1
    for service, op, params, code in errors:
        try:
            getattr(fake, f"{service}_{op}")(params, r, "AKIDTEST")
            problems.append(f"{service}.{op}: no error for {params}")
            continue
        except ApiError as e:
            status, headers, body = serialise_error(protocols[service], service, e, "req-2")
        model = models[service]
        out_shape = botocore.model.ServiceModel(model, service_name=service).operation_model(op).output_shape
        parsed = botocore.parsers.create_parser(protocols[service]).parse(
            {"status_code": status, "headers": _headers(headers), "body": body}, out_shape)
        got = parsed.get("Error", {}).get("Code")
        if got != code:
            problems.append(f"{service}.{op}: botocore reads error code {got!r}, meant {code!r}")
        checked += 1
    # the app state machine: Absent -> CreateApp -> Pending -> InService
    fake2 = sample_fake()
    app = {"DomainId": dom, "SpaceName": "s1", "AppType": "CodeEditor", "AppName": "default"}
    seq = []
    try:
        fake2.sagemaker_DescribeApp(app, r, "AKIDTEST")
    except ApiError as e:
        seq.append(e.code)
    fake2.sagemaker_CreateApp(app, r, "AKIDTEST")
    seq += [fake2.sagemaker_DescribeApp(app, r, "AKIDTEST")["Status"] for _ in range(2)]
    if seq != ["ResourceNotFound", "Pending", "InService"]:
        problems.append(f"app states {seq}")
    # tokens: distinct per call, refused once expired
    t1 = fake2.codeartifact_GetAuthorizationToken({"domain": "d1"}, r, "AKIDROLE")["authorizationToken"]
    t2 = fake2.codeartifact_GetAuthorizationToken({"domain": "d1"}, r, "AKIDROLE")["authorizationToken"]
    if t1 == t2 or fake2.token_owner(t1) != ("AKIDROLE", None):
        problems.append("tokens not distinct or not accepted")
    fake2.expire_tokens()
    if fake2.token_owner(t2)[0] is not None:
        problems.append("expired token still accepted")
    checked += 3
    checked += self_test_deploy(problems, models)
    for p in problems:
        print(f"stub self-test: FAIL {p}")
    print(f"stub self-test: {checked} answers checked against botocore models, {len(problems)} problems")
    return 1 if problems else 0


def self_test_deploy(problems, models):
    """The deploy world's answers, as `aws cloudformation deploy` reads them, and its refusals."""
    import botocore.model
    import botocore.parsers
    w = DeployWorld()
    r = "eu-west-1"
    t = {"Parameters": {"P": {"Type": "String"}, "Q": {"Type": "String", "Default": "q"}},
         "Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {}},
                       "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}}}
    body = json.dumps(t)
    create = {"StackName": "st", "ChangeSetName": "c1", "ChangeSetType": "CREATE", "TemplateBody": body,
              "Parameters.member.1.ParameterKey": "P", "Parameters.member.1.ParameterValue": "v",
              "Capabilities.member.1": "CAPABILITY_IAM"}
    checked = 0

    def answer(service, op, params, protocol="query"):
        nonlocal checked
        checked += 1
        model = models[service]
        out_shape = botocore.model.ServiceModel(model, service_name=service).operation_model(op).output_shape
        try:
            result = getattr(w, f"{service}_{op}")(params, r, "AKIDTEST")
        except ApiError as e:
            status, headers, raw = serialise_error(protocol, service, e, "req-3")
            if op == "HeadObject":  # a HEAD answer has no body (the handler sends none)
                raw = b""
            parsed = botocore.parsers.create_parser(protocol).parse(
                {"status_code": status, "headers": _headers(headers), "body": raw}, out_shape)
            return None, parsed.get("Error", {}).get("Code")
        if protocol == "query" and out_shape is not None:
            _check_shape(model, out_shape.name, result, f"{service}.{op}", problems)
        status, headers, raw = serialise(protocol, service, op, result, "req-3")
        parsed = botocore.parsers.create_parser(protocol).parse(
            {"status_code": status, "headers": _headers(headers), "body": raw}, out_shape)
        parsed.pop("ResponseMetadata", None)
        if protocol == "query" and _normalise(parsed) != _normalise(result):
            problems.append(f"{service}.{op}: botocore reads {_normalise(parsed)!r}, meant {result!r}")
        return parsed, None

    def refused(label, service, op, params, code, protocol="query"):
        got = answer(service, op, params, protocol)[1]
        if got != code:
            problems.append(f"deploy world: {label}: error {got!r}, meant {code!r}")

    refused("missing stack", "cloudformation", "DescribeStacks", {"StackName": "st"}, "ValidationError")
    refused("no capability", "cloudformation", "CreateChangeSet",
            {k: v for k, v in create.items() if not k.startswith("Capabilities")}, "InsufficientCapabilitiesException")
    refused("parameter without Default not given", "cloudformation", "CreateChangeSet",
            {k: v for k, v in create.items() if not k.startswith("Parameters")}, "ValidationError")
    refused("unknown parameter", "cloudformation", "CreateChangeSet",
            dict(create, **{"Parameters.member.2.ParameterKey": "Nope", "Parameters.member.2.ParameterValue": "x"}),
            "ValidationError")
    refused("TemplateBody over 51,200 bytes", "cloudformation", "CreateChangeSet",
            dict(create, TemplateBody=body[:-1] + ', "Description": "' + "x" * TEMPLATE_BODY_MAX + '"}'),
            "ValidationError")
    refused("TemplateURL of no uploaded object", "cloudformation", "CreateChangeSet",
            dict({k: v for k, v in create.items() if k != "TemplateBody"},
                 TemplateURL="https://s3.eu-west-1.amazonaws.com/b/k.template"), "ValidationError")
    refused("UPDATE of a missing stack", "cloudformation", "CreateChangeSet", dict(create, ChangeSetType="UPDATE"),
            "ValidationError")
    refused("HeadObject of a missing object", "s3", "HeadObject", {"Bucket": "b", "Key": "k.template"}, "404",
            "rest-xml")
    cs = answer("cloudformation", "CreateChangeSet", create)[0]
    seen = answer("cloudformation", "DescribeChangeSet", {"ChangeSetName": cs["Id"], "StackName": "st"})[0]
    if seen["Status"] != "CREATE_COMPLETE" or sorted(c["ResourceChange"]["Action"] for c in seen["Changes"]) != ["Add", "Add"]:
        problems.append(f"deploy world: new stack's change set {seen['Status']} {seen['Changes']}")
    answer("cloudformation", "ExecuteChangeSet", {"ChangeSetName": cs["Id"], "StackName": "st"})
    stacks = answer("cloudformation", "DescribeStacks", {"StackName": "st"})[0]
    if stacks["Stacks"][0]["StackStatus"] != "CREATE_COMPLETE":
        problems.append(f"deploy world: after execute {stacks['Stacks'][0]['StackStatus']}")
    answer("cloudformation", "GetTemplateSummary", {"StackName": "st"})
    answer("cloudformation", "GetTemplate", {"StackName": "st"})
    refused("CREATE of an existing stack", "cloudformation", "CreateChangeSet", dict(create, ChangeSetName="c2"),
            "ValidationError")
    # an update: the same template is an empty change set (FAILED, as CloudFormation says it)
    same = answer("cloudformation", "CreateChangeSet", dict(create, ChangeSetName="c3", ChangeSetType="UPDATE"))[0]
    seen = answer("cloudformation", "DescribeChangeSet", {"ChangeSetName": same["Id"]})[0]
    if seen["Status"] != "FAILED" or "didn't contain changes" not in seen.get("StatusReason", ""):
        problems.append(f"deploy world: empty change set {seen['Status']}")
    # Modify, Remove, Add against the stored template; the new one through S3
    t2 = {"Parameters": t["Parameters"], "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/x/"}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}}
    put = answer("s3", "PutObject", {"Bucket": "b", "Key": "k2.template", "_body": json.dumps(t2).encode()},
                 "rest-xml")[0]
    if not put.get("ETag"):
        problems.append(f"s3.PutObject: botocore reads no ETag: {put}")
    head = answer("s3", "HeadObject", {"Bucket": "b", "Key": "k2.template"}, "rest-xml")[0]
    if head.get("ETag") != put.get("ETag"):
        problems.append(f"s3.HeadObject: ETag {head.get('ETag')} != {put.get('ETag')}")
    upd = dict({k: v for k, v in create.items() if k != "TemplateBody"}, ChangeSetName="c4", ChangeSetType="UPDATE",
               TemplateURL="http://127.0.0.1:1/b/k2.template")
    cs = answer("cloudformation", "CreateChangeSet", upd)[0]
    seen = answer("cloudformation", "DescribeChangeSet", {"ChangeSetName": cs["Id"]})[0]
    got = sorted((c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in seen["Changes"])
    if got != [("Add", "Queue"), ("Modify", "Role"), ("Remove", "Topic")]:
        problems.append(f"deploy world: update changes {got}")
    answer("cloudformation", "ExecuteChangeSet", {"ChangeSetName": cs["Id"]})
    stacks = answer("cloudformation", "DescribeStacks", {"StackName": "st"})[0]
    if stacks["Stacks"][0]["StackStatus"] != "UPDATE_COMPLETE":
        problems.append(f"deploy world: after update {stacks['Stacks'][0]['StackStatus']}")
    return checked


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--deploy", action="store_true",
                    help="the deploy world: stacks, change sets, S3 (no --template)")
    ap.add_argument("--template")
    ap.add_argument("--stack")
    ap.add_argument("--identities")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--state")
    ap.add_argument("--log")
    ap.add_argument("--pypi-port", type=int)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if a.deploy:
        fake = DeployWorld(a.state)
    else:
        with open(a.template) as f:
            template = json.load(f)
        with open(a.identities) as f:
            identities = json.load(f)
        fake = Fake(template, a.stack, identities, a.state)
    fake.save()
    log = Logger(a.log)
    srv = Server((LOOPBACK, a.port), make_handler(fake, log))
    if a.pypi_port:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        psrv = Server((LOOPBACK, a.pypi_port), make_pypi_handler(fake, log))
        psrv.socket = ctx.wrap_socket(psrv.socket, server_side=True)
        threading.Thread(target=psrv.serve_forever, daemon=True).start()
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{srv.server_address[1]}\n")
        os.replace(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
