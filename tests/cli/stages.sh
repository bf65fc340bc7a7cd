# Sourced by tests/cli/run.sh: stages of one environment side by side (issue 13).

# The names AWS keeps unique per account and Region, by resource type: two
# stages of one environment must differ in every one of them, or the second
# stack's create fails on the first stack's name.
cat >"$dir/account-names.py" <<'PY'
import json, sys
NAMED = {
    "AWS::KMS::Alias": "AliasName",
    "AWS::CodeArtifact::Domain": "DomainName",
    "AWS::SageMaker::Domain": "DomainName",
    "AWS::SageMaker::NotebookInstanceLifecycleConfig": "NotebookInstanceLifecycleConfigName",
    "AWS::SageMaker::StudioLifecycleConfig": "StudioLifecycleConfigName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::NetworkFirewall::Firewall": "FirewallName",
    "AWS::NetworkFirewall::FirewallPolicy": "FirewallPolicyName",
    "AWS::NetworkFirewall::RuleGroup": "RuleGroupName",
    "AWS::Route53Resolver::FirewallDomainList": "Name",
    "AWS::Route53Resolver::FirewallRuleGroup": "Name",
}
def names(path):
    out = set()
    for r in json.load(open(path))["Resources"].values():
        v = r.get("Properties", {}).get(NAMED.get(r["Type"], ""))
        if isinstance(v, str):
            out.add((r["Type"], v))
    return out
a, b = names(sys.argv[1]), names(sys.argv[2])
if not a:
    sys.exit("no account-unique names in " + sys.argv[1])
both = a & b
sys.exit("in both stages: %s" % sorted(both) if both else 0)
PY
for ex in examples/*.sgl; do
	n=$(basename "$ex" .sgl)
	expect "stage-$n-dev" 0 "$sgc" build "$ex" --stage dev -o "$dir/st-$n/dev/stack.json"
	expect "stage-$n-prod" 0 "$sgc" build "$ex" --stage prod -o "$dir/st-$n/prod/stack.json"
	ok "stage-$n-side-by-side" python3 "$dir/account-names.py" \
		"$dir/st-$n/dev/stack.json" "$dir/st-$n/prod/stack.json"
done
# The test above fails on two builds of one stage (its mutation).
ok stage-same-twice-collides sh -c "! python3 '$dir/account-names.py' \
	'$dir/st-studio-remote-access/dev/stack.json' '$dir/st-studio-remote-access/dev/stack.json' \
	2>'$dir/collide.err' && grep -q 'in both stages' '$dir/collide.err'"

# The connect script finds the stage's stack, and the ssh alias names the stage.
r=$dir/st-studio-remote-access/prod/remote
ok stage-connect-default-stack grep -q "stack='devbox-prod'" "$r/carol-remote-connect.sh"
ok stage-ssh-alias grep -q '^Host sgc-devbox-prod-carol-remote$' "$r/carol-remote.ssh_config"

# The stage from the --vars file's name; --stage wins; --stage= is none.
mkdir -p "$dir/stages"
: >"$dir/stages/staging.yaml"
: >"$dir/stages/my_vars.yaml"
expect stage-from-vars 0 "$sgc" build examples/isolated-network.sgl --vars "$dir/stages/staging.yaml" -o "$dir/sv.json"
ok stage-from-vars-named grep -q '"alias/mlnetwork-staging-environment"' "$dir/sv.json"
expect stage-flag-wins 0 "$sgc" build examples/isolated-network.sgl --vars "$dir/stages/staging.yaml" --stage qa -o "$dir/sq.json"
ok stage-flag-wins-named grep -q '"alias/mlnetwork-qa-environment"' "$dir/sq.json"
expect stage-none 0 "$sgc" build examples/isolated-network.sgl --vars "$dir/stages/my_vars.yaml" --stage= -o "$dir/sn.json"
ok stage-none-named grep -q '"alias/mlnetwork-environment"' "$dir/sn.json"
expect stage-vars-name-refused 2 "$sgc" build examples/isolated-network.sgl --vars "$dir/stages/my_vars.yaml" -o "$dir/sr.json"
ok stage-vars-name-says-why grep -q 'give one with --stage NAME, or none with --stage=' "$dir/err"
ok stage-vars-name-no-output test ! -e "$dir/sr.json"
for bad in Prod 9x dev- x23456789012345678 'a b' 'a;b'; do
	expect "stage-bad-$bad" 2 "$sgc" check examples/isolated-network.sgl --stage "$bad"
done
ok stage-bad-says-rule grep -q 'is not a stage name: 1 to 16 lowercase' "$dir/err"
expect stage-fmt-refused 2 "$sgc" fmt --stage dev examples/isolated-network.sgl

# A name that fits without a stage and not with one: E0507, located, with the stage named.
printf 'import std.endpoints\nenvironment a_rather_long_environment_name_x {\n  region = "us-east-1"\n  network net {\n    cidr = 10.0.0.0/16\n    isolation = isolated\n    subnet a { cidr = 10.0.1.0/24  zone = a }\n    subnet b { cidr = 10.0.2.0/24  zone = b }\n    endpoints = std.endpoints.studio\n  }\n  studio research_and_development {\n    subnets = [net.a, net.b]\n  }\n}\n' >"$dir/long.sgl"
expect stage-long-unstaged 0 "$sgc" check --color=never "$dir/long.sgl"
expect stage-long-staged 1 "$sgc" check --color=never "$dir/long.sgl" --stage production
ok stage-long-located grep -q 'long.sgl:11:10: error\[E0507\]: `a-rather-long-environment-name-x-production-research-and-development` is not a valid Studio domain name' "$dir/err"
ok stage-long-says-stage grep -q 'carries the stage `production`' "$dir/err"
ok stage-long-help grep -q "help: use a shorter stage name, or rename the environment or the block" "$dir/err"

# Names are made and checked with the stage: Studio lifecycle configuration
# names are cut to 54 characters plus a digest of the script (which names
# its studio), so two studios that differ only past the cut still get two
# names within SageMaker's 63.
s40a=s234567890123456789012345678901234567890a
s40b=s234567890123456789012345678901234567890b
{
	printf 'import std.endpoints\nimport std.lifecycle\nenvironment env {\n  region = "us-east-1"\n'
	printf '  network net {\n    cidr = 10.0.0.0/16\n    isolation = isolated\n'
	printf '    subnet a { cidr = 10.0.1.0/24  zone = a }\n    subnet b { cidr = 10.0.2.0/24  zone = b }\n'
	printf '    endpoints = std.endpoints.studio + [logs]\n  }\n'
	for s in $s40a $s40b; do
		printf '  studio %s {  # sgc: allow W0712\n    subnets = [net.a, net.b]\n' "$s"
		printf '    code_editor {\n      on_start = std.lifecycle.git_config("C", "c@example.com")\n    }\n  }\n'
	done
	printf '}\n'
} >"$dir/cut.sgl"
expect stage-cut-staged 0 "$sgc" build --color=never "$dir/cut.sgl" --stage production -o "$dir/cut/stack.json"
ok stage-cut-distinct python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["Resources"].values()
names = [r["Properties"]["StudioLifecycleConfigName"] for r in t
         if r["Type"] == "AWS::SageMaker::StudioLifecycleConfig"]
cut = [n for n in names if n.startswith("env-production-s23456789012345678901234567890123456789-")]
sys.exit(0 if len(cut) == 2 and len(set(cut)) == 2 and max(map(len, cut)) <= 63 else names)
' "$dir/cut/stack.json"
