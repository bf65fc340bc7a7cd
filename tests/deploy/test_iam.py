#!/usr/bin/env python3
"""Unit tests of tests/deploy: the IAM evaluator and CloudFormation resolver
(iam.py), the cron parser and the mutations (deploy.py). Every positive case
has a negative twin: a test that cannot fail proves nothing.

  python3 -m unittest tests/deploy/test_iam.py      (or: python3 test_iam.py)
"""
import copy
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import iam  # noqa: E402
import deploy  # noqa: E402

A = "123456789012"


def load(name):
    with open(os.path.join(HERE, "fixtures", name)) as f:
        return json.load(f)


class Matching(unittest.TestCase):
    def test_actions_ignore_case_and_take_wildcards(self):
        self.assertTrue(iam.action_match("SageMaker:Describe*", "sagemaker:DescribeApp"))
        self.assertTrue(iam.action_match("sagemaker:?topNotebookInstance", "sagemaker:StopNotebookInstance"))
        self.assertFalse(iam.action_match("sagemaker:Describe*", "sagemaker:CreateApp"))
        self.assertFalse(iam.action_match("s3:Get*", "sagemaker:GetRecord"))

    def test_resources_are_case_sensitive(self):
        arn = f"arn:aws:sagemaker:eu-west-1:{A}:notebook-instance/lab"
        self.assertTrue(iam.arn_match(f"arn:aws:sagemaker:eu-west-1:{A}:notebook-instance/*", arn))
        self.assertFalse(iam.arn_match(f"arn:aws:sagemaker:eu-west-1:{A}:notebook-instance/Lab", arn))
        self.assertTrue(iam.arn_match("*", arn))

    def test_wildcards_stay_within_arn_fields(self):
        arn = f"arn:aws:sagemaker:eu-west-1:{A}:space/d-1/s"
        self.assertTrue(iam.arn_match("arn:aws:sagemaker:*:*:space/*", arn))
        # a * in the service field cannot swallow the region and account
        self.assertFalse(iam.arn_match("arn:aws:sage*:space/d-1/s", arn))
        self.assertFalse(iam.arn_match(f"arn:aws:sagemaker:eu-west-1:{A}:app/*", arn))

    def test_pattern_within(self):
        self.assertTrue(iam.pattern_within("arn:x:domain/d1", "arn:x:domain/*"))
        self.assertTrue(iam.pattern_within("arn:x:app/d1/s/*", "arn:x:app/d1/*"))
        self.assertFalse(iam.pattern_within("arn:x:app/*", "arn:x:app/d1/*"))
        self.assertFalse(iam.pattern_within("*", "arn:x:*"))
        self.assertTrue(iam.pattern_within("a?c", "a*"))
        self.assertFalse(iam.pattern_within("a*", "a?"))


class Conditions(unittest.TestCase):
    def holds(self, op, key, values, ctx):
        return iam.condition_holds(op, key, values, ctx)

    def test_string_equals(self):
        self.assertTrue(self.holds("StringEquals", "sts:AWSServiceName", "codeartifact.amazonaws.com",
                                   {"sts:AWSServiceName": "codeartifact.amazonaws.com"}))
        self.assertFalse(self.holds("StringEquals", "sts:AWSServiceName", "codeartifact.amazonaws.com",
                                    {"sts:AWSServiceName": "lambda.amazonaws.com"}))
        self.assertFalse(self.holds("StringEquals", "sts:AWSServiceName", "x", {}))

    def test_negated_operators_hold_for_a_missing_key(self):
        self.assertTrue(self.holds("StringNotEquals", "k", "v", {}))
        self.assertFalse(self.holds("StringNotEquals", "k", "v", {"k": "v"}))
        self.assertTrue(self.holds("ArnNotLike", "k", "arn:aws:*", {}))

    def test_like_and_arn(self):
        self.assertTrue(self.holds("StringLike", "k", "code*", {"k": "codeartifact"}))
        self.assertFalse(self.holds("StringLike", "k", "code*", {"k": "decode"}))
        arn = f"arn:aws:sagemaker:eu-west-1:{A}:user-profile/d-1/ann"
        self.assertTrue(self.holds("ArnLike", "o", f"arn:aws:sagemaker:*:{A}:user-profile/d-1/*", {"o": arn}))
        self.assertFalse(self.holds("ArnEquals", "o", arn.replace("ann", "bob"), {"o": arn}))

    def test_bool_null(self):
        self.assertTrue(self.holds("Bool", "kms:GrantIsForAWSResource", "true", {"kms:GrantIsForAWSResource": "true"}))
        self.assertFalse(self.holds("Bool", "kms:GrantIsForAWSResource", "true", {}))
        self.assertTrue(self.holds("Null", "sagemaker:OwnerUserProfileArn", "true", {}))
        self.assertFalse(self.holds("Null", "sagemaker:OwnerUserProfileArn", "true", {"sagemaker:OwnerUserProfileArn": "a"}))
        self.assertTrue(self.holds("Null", "x", "false", {"x": "1"}))

    def test_set_operators_and_if_exists(self):
        self.assertTrue(self.holds("ForAnyValue:StringEquals", "t", ["a", "b"], {"t": ["z", "b"]}))
        self.assertFalse(self.holds("ForAnyValue:StringEquals", "t", ["a"], {"t": ["z"]}))
        self.assertFalse(self.holds("ForAnyValue:StringEquals", "t", ["a"], {}))
        self.assertTrue(self.holds("ForAllValues:StringEquals", "t", ["a", "b"], {"t": ["a", "b"]}))
        self.assertFalse(self.holds("ForAllValues:StringEquals", "t", ["a"], {"t": ["a", "c"]}))
        self.assertTrue(self.holds("ForAllValues:StringEquals", "t", ["a"], {}))
        self.assertTrue(self.holds("StringEqualsIfExists", "k", "v", {}))
        self.assertFalse(self.holds("StringEqualsIfExists", "k", "v", {"k": "w"}))

    def test_policy_variables(self):
        v = f"arn:aws:sagemaker:eu-west-1:{A}:user-profile/d-1/${{sagemaker:UserProfileName}}"
        own = {"sagemaker:UserProfileName": "ann",
               "sagemaker:OwnerUserProfileArn": f"arn:aws:sagemaker:eu-west-1:{A}:user-profile/d-1/ann"}
        self.assertTrue(self.holds("ArnLike", "sagemaker:OwnerUserProfileArn", v, own))
        other = dict(own, **{"sagemaker:UserProfileName": "bob"})
        self.assertFalse(self.holds("ArnLike", "sagemaker:OwnerUserProfileArn", v, other))
        # an unresolved variable matches nothing
        self.assertFalse(self.holds("ArnLike", "sagemaker:OwnerUserProfileArn", v,
                                    {"sagemaker:OwnerUserProfileArn": own["sagemaker:OwnerUserProfileArn"]}))

    def test_unknown_operator_is_an_error_not_a_pass(self):
        with self.assertRaises(iam.UnsupportedCondition):
            self.holds("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", {})


class Evaluation(unittest.TestCase):
    ST = [{"Sid": "All", "Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
          {"Sid": "NoDelete", "Effect": "Deny", "Action": "sagemaker:Delete*", "Resource": "*"}]

    def test_explicit_deny_wins(self):
        self.assertEqual(iam.evaluate(self.ST, "sagemaker:DeleteApp", "arn:x")[0], "ExplicitDeny")
        self.assertEqual(iam.evaluate(self.ST, "sagemaker:CreateApp", "arn:x")[0], "Allow")
        self.assertEqual(iam.evaluate(self.ST, "s3:GetObject", "arn:x")[0], "ImplicitDeny")

    def test_not_action_not_resource(self):
        st = [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]
        self.assertEqual(iam.evaluate(st, "s3:GetObject", "arn:aws:s3:::open/a")[0], "Allow")
        self.assertEqual(iam.evaluate(st, "s3:GetObject", "arn:aws:s3:::secret/a")[0], "ImplicitDeny")
        self.assertEqual(iam.evaluate(st, "iam:PassRole", "arn:aws:s3:::open/a")[0], "ImplicitDeny")

    def test_condition_decides(self):
        st = [{"Effect": "Allow", "Action": "sts:GetServiceBearerToken", "Resource": "*",
               "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}}}]
        self.assertEqual(iam.evaluate(st, "sts:GetServiceBearerToken", "*",
                                      {"sts:AWSServiceName": "codeartifact.amazonaws.com"})[0], "Allow")
        self.assertEqual(iam.evaluate(st, "sts:GetServiceBearerToken", "*",
                                      {"sts:AWSServiceName": "lambda.amazonaws.com"})[0], "ImplicitDeny")

    def test_key_policy(self):
        key = f"arn:aws:kms:eu-west-1:{A}:key/k"
        role = iam.Identity("R", "execution-role", [{"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": key}],
                            f"arn:aws:iam::{A}:role/r", [])
        bare = iam.Identity("B", "execution-role", [], f"arn:aws:iam::{A}:role/b", [])
        root = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
                               "Action": "kms:*", "Resource": "*"}]}
        self.assertEqual(iam.decide(role, "kms:CreateGrant", key, {}, {key: root})[0], "Allow")
        self.assertEqual(iam.decide(bare, "kms:CreateGrant", key, {}, {key: root})[0], "ImplicitDeny")
        direct = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:role/b"},
                                 "Action": "kms:CreateGrant", "Resource": "*"}]}
        self.assertEqual(iam.decide(bare, "kms:CreateGrant", key, {}, {key: direct})[0], "Allow")
        nobody = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:role/other"},
                                 "Action": "kms:*", "Resource": "*"}]}
        self.assertEqual(iam.decide(role, "kms:CreateGrant", key, {}, {key: nobody})[0], "ImplicitDeny")
        deny = copy.deepcopy(root)
        deny["Statement"].append({"Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"})
        self.assertEqual(iam.decide(role, "kms:CreateGrant", key, {}, {key: deny})[0], "ExplicitDeny")


class Resolver(unittest.TestCase):
    def setUp(self):
        self.w = iam.World(load("iam-sample-template.json"), "st")

    def test_region_from_the_template_rule(self):
        self.assertEqual(self.w.region, "eu-west-1")

    def test_sub_getatt_ref_join(self):
        w = self.w
        dom = w.getatt("Studio", "DomainId")
        self.assertRegex(dom, r"^d-[a-z0-9]{12}$")
        self.assertEqual(w.getatt("Space", "SpaceArn"), f"arn:aws:sagemaker:eu-west-1:{A}:space/{dom}/ann-space")
        self.assertEqual(w.resolve({"Fn::Sub": "${AWS::Region}:${Studio.DomainId}:${!Literal}"}),
                         f"eu-west-1:{dom}:${{Literal}}")
        self.assertEqual(w.resolve({"Fn::Sub": ["${X}-${AWS::AccountId}", {"X": {"Ref": "AWS::StackName"}}]}),
                         f"st-{A}")
        self.assertEqual(w.resolve({"Fn::Join": ["/", ["a", {"Fn::GetAtt": "Repo.Name"}]]}), "a/team")
        self.assertEqual(w.ref("Repo"), f"arn:aws:codeartifact:eu-west-1:{A}:repository/pkgs/team")
        self.assertEqual(w.ref("Nb"), f"arn:aws:sagemaker:eu-west-1:{A}:notebook-instance/"
                         + w.getatt("Nb", "NotebookInstanceName").lower())
        self.assertEqual(w.outputs()["SpaceArn"], w.getatt("Space", "SpaceArn"))

    def test_errors(self):
        with self.assertRaises(iam.ResolveError):
            self.w.resolve({"Ref": "Missing"})
        with self.assertRaises(iam.ResolveError):
            self.w.resolve({"Fn::GetAtt": ["Studio", "NoSuchAttribute"]})
        with self.assertRaises(iam.ResolveError):
            self.w.resolve({"Fn::Sub": "${AWS::NoSuchPseudo}"})

    def test_conditions_and_novalue(self):
        t = {"Parameters": {"Env": {"Type": "String", "Default": "prod"}},
             "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                            "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}},
             "Resources": {}}
        w = iam.World(t, "s", region="us-east-1")
        self.assertEqual(w.resolve({"Fn::If": ["IsProd", "a", "b"]}), "a")
        self.assertEqual(w.resolve({"Fn::If": ["NotProd", "a", "b"]}), "b")
        self.assertEqual(w.resolve(["x", {"Ref": "AWS::NoValue"}]), ["x"])
        w2 = iam.World(t, "s", region="us-east-1", parameters={"Env": "dev"})
        self.assertEqual(w2.resolve({"Fn::If": ["IsProd", "a", "b"]}), "b")


class Identities(unittest.TestCase):
    def setUp(self):
        self.w = iam.World(load("iam-sample-template.json"), "st")
        self.ids = iam.identities_from_template(self.w)

    def test_role_gets_inline_and_attached_policies(self):
        role = self.ids["NbRole"]
        self.assertIn("StopPolicy", role.sources)
        self.assertIn("StopSelf", [s.get("Sid") for s in role.statements])
        self.assertEqual(self.ids["DevPolicy"].kind, "developer")

    def test_calls(self):
        w, ids = self.w, self.ids
        keymap = {"AKIANB": "NbRole", "AKIADEV": "DevPolicy"}
        nb = w.getatt("Nb", "NotebookInstanceName")
        ok = [{"service": "codeartifact", "operation": "GetAuthorizationToken", "access_key": "AKIANB",
               "region": "eu-west-1", "params": {"domain": "pkgs", "domain-owner": A}, "status": 200},
              {"service": "sagemaker", "operation": "StopNotebookInstance", "access_key": "AKIANB",
               "region": "eu-west-1", "params": {"NotebookInstanceName": nb}, "status": 200},
              {"service": "sagemaker", "operation": "StartSession", "access_key": "AKIADEV", "region": "eu-west-1",
               "params": {"ResourceIdentifier": w.getatt("Space", "SpaceArn")}, "status": 200},
              {"service": "sts", "operation": "GetCallerIdentity", "access_key": "AKIADEV", "region": "eu-west-1",
               "params": {}, "status": 200}]
        findings, n = iam.check_calls(w, ids, ok, keymap)
        self.assertEqual(findings, [])
        self.assertEqual(n, 4)  # token (2 requests), stop, session; GetCallerIdentity needs none
        bad = [dict(ok[1], params={"NotebookInstanceName": "someone-else"}),
               dict(ok[2], access_key="AKIANB"),
               dict(ok[0], params={"domain": "other", "domain-owner": A}),
               {"service": "sagemaker", "operation": "NoSuchCall", "access_key": "AKIANB", "params": {}}]
        findings, _ = iam.check_calls(w, ids, bad, keymap)
        self.assertEqual(len(findings), 4, findings)

    def test_static_kms_rule(self):
        rows, findings = iam.static_needs(self.w, self.ids)
        self.assertEqual(findings, [])
        self.assertEqual(sorted(r["action"] for r in rows), ["kms:CreateGrant", "kms:DescribeKey"])
        self.assertEqual(iam.check_rows(self.w, self.ids, rows), [])
        t, n = deploy.drop_action(load("iam-sample-template.json"), "kms:CreateGrant", lambda lid: lid == "NbRole")
        self.assertEqual(n, 1)
        w2 = iam.World(t, "st")
        ids2 = iam.identities_from_template(w2)
        rows2, _ = iam.static_needs(w2, ids2)
        self.assertTrue(any("kms:CreateGrant" in f for f in iam.check_rows(w2, ids2, rows2)))


class SgcIamFormat(unittest.TestCase):
    def setUp(self):
        self.t = load("iam-sample-template.json")
        self.doc = load("iam-sample.json")

    def run_checks(self, t, doc):
        w = iam.World(t, "st")
        ids = iam.identities_from_sgc_iam(w, doc)
        return (iam.check_rows(w, ids, doc["needs"]),
                iam.check_rows(w, ids, doc["forbidden"], want_allowed=False),
                iam.check_coverage(w, ids, doc["needs"]))

    def test_sample_passes(self):
        self.assertEqual(self.run_checks(self.t, self.doc), ([], [], []))

    def test_missing_grant_is_a_needs_finding(self):
        t, n = deploy.drop_action(self.t, "codeartifact:GetRepositoryEndpoint", lambda lid: lid == "NbRole")
        self.assertEqual(n, 1)
        needs, _, _ = self.run_checks(t, self.doc)
        self.assertTrue(any("GetRepositoryEndpoint" in f for f in needs), needs)

    def test_wider_statement_is_uncovered(self):
        t = copy.deepcopy(self.t)
        pol = t["Resources"]["NbRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        del pol["Statement"][2]["Condition"]  # bearer tokens for every service
        pol["Statement"].append({"Sid": "Extra", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
        needs, forbidden, cover = self.run_checks(t, self.doc)
        self.assertTrue(any("Bearer" in f for f in cover), cover)
        self.assertTrue(any("Extra" in f for f in cover), cover)
        self.assertTrue(any("lambda.amazonaws.com" in f or "GetServiceBearerToken" in f for f in forbidden), forbidden)

    def test_other_users_space_is_forbidden(self):
        t = copy.deepcopy(self.t)
        st = t["Resources"]["NbRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        del st[3]["Condition"]  # CreateApp in every space of the domain
        _, forbidden, _ = self.run_checks(t, self.doc)
        self.assertTrue(any("another user's private space" in f for f in forbidden), forbidden)

    def test_logged_call_without_row(self):
        w = iam.World(self.t, "st")
        calls = [{"service": "codeartifact", "operation": "GetRepositoryEndpoint", "access_key": "K",
                  "region": "eu-west-1", "params": {"domain": "pkgs", "repository": "team"}}]
        self.assertEqual(iam.check_calls_have_rows(w, calls, {"K": "NbRole"}, self.doc["needs"]), [])
        self.assertEqual(len(iam.check_calls_have_rows(w, calls, {"K": "DevPolicy"}, self.doc["needs"])), 1)


class EndpointPolicies(unittest.TestCase):
    ACCOUNT_ONLY = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
                                   "Condition": {"StringEquals": {"aws:PrincipalAccount": A}}}]}

    def ident(self, account=A):
        return iam.Identity("r", "execution-role", [], f"arn:aws:iam::{account}:role/r", [])

    def test_account_condition(self):
        arn = f"arn:aws:codeartifact:eu-west-1:{A}:domain/d"
        self.assertEqual(iam.evaluate_endpoint_policy(self.ACCOUNT_ONLY, self.ident(),
                                                      "codeartifact:GetAuthorizationToken", arn, {}), "Allow")
        other = copy.deepcopy(self.ACCOUNT_ONLY)
        other["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalAccount"] = "210987654321"
        self.assertEqual(iam.evaluate_endpoint_policy(other, self.ident(), "codeartifact:GetAuthorizationToken",
                                                      arn, {}), "ImplicitDeny")

    def test_no_policy_allows_everything(self):
        self.assertEqual(iam.evaluate_endpoint_policy(None, self.ident(), "s3:PutObject", "arn:aws:s3:::x/y", {}),
                         "Allow")

    def test_endpoint_of_calls(self):
        self.assertEqual(iam.endpoint_of({"service": "codeartifact", "operation": "ReadFromRepository"}),
                         "codeartifact.repositories")
        self.assertEqual(iam.endpoint_of({"service": "sagemaker", "operation": "StopNotebookInstance"}),
                         "sagemaker.api")
        self.assertIsNone(iam.endpoint_of({"service": "cloudformation", "operation": "DescribeStacks"}))


class Cron(unittest.TestCase):
    def test_parse(self):
        env, jobs, problems = deploy.parse_cron("PATH=/usr/bin:/bin\n17 */6 * * * root /x >>/l 2>&1\n", {"root"})
        self.assertEqual((env["PATH"], problems), ("/usr/bin:/bin", []))
        self.assertEqual(jobs[0], (["17", "*/6", "*", "*", "*"], "root", "/x >>/l 2>&1"))
        for bad in ("61 * * * * root /x", "* * * * root /x", "*/0 * * * * root /x", "* * * * * nobody /x",
                    "* * * * * root date +%s"):
            self.assertTrue(deploy.parse_cron(bad + "\n", {"root"})[2], bad)


class Mutations(unittest.TestCase):
    def test_operation_moves_after_its_options(self):
        fixed = 'aws codeartifact "$op" --region "$region" --domain "$domain" --domain-owner "$account" "$@"'
        out, how = deploy.mutate_pip_from(fixed)
        self.assertEqual(out, 'aws codeartifact --region "$region" --domain "$domain" --domain-owner "$account" '
                              '"$op" "$@"')
        self.assertTrue(how)
        lit = 't=$(aws codeartifact get-authorization-token --domain "$d" --query x)'
        self.assertEqual(deploy.mutate_pip_from(lit)[0], 't=$(aws codeartifact --domain "$d" --query x '
                                                         'get-authorization-token)')
        self.assertIsNone(deploy.mutate_pip_from("echo nothing to do")[1])

    def test_proxycommand(self):
        cfg = "Host h\n    ProxyCommand ~/.ssh/sgc/x-connect.sh\n"
        self.assertIn("ProxyCommand %d/.ssh/sgc/x-connect.sh", deploy.mutate_proxycommand(cfg))
        self.assertEqual(deploy.mutate_proxycommand("Host h\n"), "Host h\n")


if __name__ == "__main__":
    unittest.main()
