# Sourced by tests/cli/run.sh: parameters a CI deploy can use (issue 13).

# Every example's parameter file deploys a new stack as is: each parameter
# without a default has a value in it. The S3 prefix list comes from sgc's
# table as a Mapping, with the parameter only to override it.
for ex in examples/*.sgl; do
	n=$(basename "$ex" .sgl)
	expect "params-$n-builds" 0 "$sgc" build "$ex" -o "$dir/p-$n.json"
	ok "params-$n-file-complete" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
given = {p["ParameterKey"] for p in json.load(open(sys.argv[2]))}
need = [k for k, v in t.get("Parameters", {}).items() if "Default" not in v and k not in given]
sys.exit("needs a value at deploy: " + " ".join(need) if need else 0)
' "$dir/p-$n.json" "$dir/p-$n.params.json"
done
ok params-s3-table-us-west-2 grep -q '"S3": "pl-68a54001"' "$dir/p-restricted-egress.json"
ok params-s3-override-kept grep -q '"S3PrefixListIdGiven"' "$dir/p-restricted-egress.json"
