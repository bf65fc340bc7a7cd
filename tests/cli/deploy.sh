# Sourced by tests/cli/run.sh: `sgc deploy` and the deploy manifest, with a
# fake AWS CLI that records its argv (tests/deploy runs the real one).

fake_aws="$dir/fake-aws"
printf '#!/bin/sh\nfor a; do printf "%%s\\n" "$a"; done >"%s"\n' "$dir/aws-argv" >"$fake_aws"
chmod +x "$fake_aws"

# the manifest beside OUT: stack, Region, stage, capabilities, parameters, size
expect deploy-manifest-build 0 "$sgc" build examples/private-notebook-codeartifact.sgl --stage dev -o "$dir/dm/stack.json"
ok deploy-manifest-written python3 -c '
import json, os, sys
m = json.load(open(sys.argv[1]))
want = {"version": 1, "template": "stack.json", "stack_name": "mlplatform-dev", "region": "ap-southeast-1",
        "stage": "dev", "capabilities": ["CAPABILITY_IAM"], "parameters": {"InstanceType": "ml.t3.medium"},
        "template_bytes": os.path.getsize(sys.argv[2]), "needs_s3_upload": False}
sys.exit(0 if m == want else f"{m} != {want}")
' "$dir/dm/stack.deploy.json" "$dir/dm/stack.json"
expect deploy-manifest-no-stage 0 "$sgc" build examples/isolated-network.sgl -o "$dir/dn/stack.yaml"
ok deploy-manifest-null-stage grep -q '"stage": null' "$dir/dn/stack.deploy.json"
ok deploy-manifest-names-yaml grep -q '"template": "stack.yaml"' "$dir/dn/stack.deploy.json"

# the argv sgc gives the CLI: no shell, Key=Value pairs
expect deploy-runs-cli 0 env SGC_AWS="$fake_aws" "$sgc" deploy "$dir/dm/stack.json"
ok deploy-argv sh -c "tr '\n' ' ' <'$dir/aws-argv' | grep -qx 'cloudformation deploy --region ap-southeast-1 --stack-name mlplatform-dev --template-file $dir/dm/stack.json --capabilities CAPABILITY_IAM --parameter-overrides InstanceType=ml.t3.medium --no-fail-on-empty-changeset '"
expect deploy-from-manifest 0 env SGC_AWS="$fake_aws" "$sgc" deploy "$dir/dm/stack.deploy.json" --s3-bucket b --s3-prefix p --profile ci
ok deploy-argv-s3-profile sh -c "tr '\n' ' ' <'$dir/aws-argv' | grep -q '^--profile ci cloudformation deploy .* --s3-bucket b --s3-prefix p $'"
expect deploy-stage-mismatch 2 env SGC_AWS="$fake_aws" "$sgc" deploy "$dir/dm/stack.json" --stage prod
ok deploy-stage-mismatch-says grep -q 'built for stage dev' "$dir/err"
# a value with shell syntax reaches the CLI as one word, unchanged
python3 - "$dir/dm/stack.deploy.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["parameters"]["InstanceType"] = "$(touch pwned); x y"
json.dump(m, open(sys.argv[1], "w"))
PY
expect deploy-no-shell 0 env SGC_AWS="$fake_aws" "$sgc" deploy "$dir/dm/stack.json"
ok deploy-no-shell-word grep -qx 'InstanceType=$(touch pwned); x y' "$dir/aws-argv"
ok deploy-no-shell-nothing-run test ! -e pwned

# refused before the CLI runs
rm -f "$dir/aws-argv"
expect deploy-needs-file 2 "$sgc" deploy
expect deploy-no-stdin 2 "$sgc" deploy -
expect deploy-prefix-needs-bucket 2 "$sgc" deploy "$dir/dm/stack.json" --s3-prefix p
expect deploy-built-no-vars 2 "$sgc" deploy "$dir/dm/stack.json" -D x=y
expect deploy-no-format 2 "$sgc" deploy "$dir/dm/stack.json" --format json
printf '{"version": 2}' >"$dir/bad.deploy.json"
expect deploy-bad-manifest 1 "$sgc" deploy "$dir/bad.deploy.json"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); m["template"] = "../../etc/passwd"
json.dump(m, open(sys.argv[2], "w"))' "$dir/dm/stack.deploy.json" "$dir/dm/evil.deploy.json"
expect deploy-manifest-template-outside 1 "$sgc" deploy "$dir/dm/evil.deploy.json"
ok deploy-manifest-template-outside-says grep -q 'file name beside the manifest' "$dir/err"
echo ' ' >>"$dir/dm/stack.json"
expect deploy-stale-manifest 2 env SGC_AWS="$fake_aws" "$sgc" deploy "$dir/dm/stack.json"
ok deploy-stale-says grep -q 'build again' "$dir/err"
expect deploy-no-manifest 2 "$sgc" deploy "$dir/p-studio-public.json.nope"
ok deploy-refusals-ran-nothing test ! -e "$dir/aws-argv"
expect deploy-cli-fails 4 env SGC_AWS=/bin/false "$sgc" deploy "$dir/dn/stack.yaml"
ok deploy-cli-fails-says grep -q 'aws cloudformation deploy. failed (exit 1)' "$dir/err"
expect deploy-cli-missing 4 env SGC_AWS="$dir/no-such-aws" "$sgc" deploy "$dir/dn/stack.yaml"
expect help-deploy 0 "$sgc" help deploy
ok help-deploy-text grep -q -- '--s3-bucket' "$dir/out"
expect deploy-did-you-mean 2 "$sgc" deplyo x.sgl
ok deploy-did-you-mean-says grep -q 'did you mean `deploy`' "$dir/err"
