# idle_stop: stop this notebook instance after a stretch without Jupyter activity.
# Notebook instance, OnStart (root). Writes /usr/local/bin/sgc-idle-stop, a
# standard-library Python checker, and runs it from /etc/cron.d every 5 minutes.
# It reads the local Jupyter server's API (https://localhost:8443, self-signed,
# as in the aws-samples auto-stop-idle script): the instance is idle when no
# kernel is busy and no kernel, terminal or server start is more recent than
# the limit; open browser tabs do not count. Then it calls
# `aws sagemaker stop-notebook-instance` for its own name (from
# /opt/ml/metadata/resource-metadata.json). Any doubt (Jupyter down, odd
# answer) means no stop. The check runs as ec2-user, not root: it needs no
# privilege, and the Python and AWS CLI it may use live in ec2-user's conda
# tree. Runs on every start and overwrites what it wrote.
sgc_idle_stop() {
	local minutes=@@IDLE_MINUTES@@
	if ! [[ $minutes =~ ^[1-9][0-9]{0,4}$ ]]; then
		echo "idle_stop: '$minutes' is not a number of minutes" >&2
		exit 1
	fi
	local python=/usr/bin/python3
	[[ -x $python ]] || python=/home/ec2-user/anaconda3/envs/JupyterSystemEnv/bin/python
	cat >/usr/local/bin/sgc-idle-stop <<'EOF'
"""sgc-idle-stop MINUTES: stop this notebook instance once Jupyter has been idle
for MINUTES. Written by sgc (idle_stop); do not edit."""
import json
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

LIMIT = int(sys.argv[1]) * 60
API = "https://localhost:8443/api/"
TLS = ssl.create_default_context()
TLS.check_hostname = False          # Jupyter's own self-signed certificate,
TLS.verify_mode = ssl.CERT_NONE     # reached on localhost only


def get(path):
    with urllib.request.urlopen(API + path, context=TLS, timeout=20) as answer:
        return json.load(answer)


def epoch(stamp, default):
    """Jupyter's UTC time (2024-05-01T10:00:00.123456Z) as seconds."""
    if not stamp:
        return default
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


now = time.time()
try:
    with open("/proc/uptime") as f:
        booted = now - float(f.read().split()[0])
    started = epoch(get("status").get("started"), booted)
    kernels = get("kernels")
    terminals = get("terminals")
    busy = [k["id"] for k in kernels if k.get("execution_state") != "idle"]
    last = max([started] + [epoch(x.get("last_activity"), now)
                            for x in kernels + terminals])
except Exception as e:  # Jupyter starting or restarting: never stop on doubt
    print(f"{time.ctime(now)}: cannot read Jupyter's state ({e}); not stopping")
    sys.exit(0)
idle = int(now - last)
if busy or idle < LIMIT:
    print(f"{time.ctime(now)}: busy kernels {len(busy)}, idle {idle // 60} min; "
          f"limit {LIMIT // 60} min")
    sys.exit(0)
with open("/opt/ml/metadata/resource-metadata.json") as f:
    meta = json.load(f)
region = meta["ResourceArn"].split(":")[3]
aws = shutil.which("aws") or shutil.which("aws", path="/home/ec2-user/anaconda3/bin")
print(f"{time.ctime(now)}: idle {idle // 60} min; stopping {meta['ResourceName']}")
sys.exit(subprocess.call([aws or "aws", "sagemaker", "stop-notebook-instance", "--region",
                          region, "--notebook-instance-name", meta["ResourceName"]]))
EOF
	chmod 0755 /usr/local/bin/sgc-idle-stop
	local log=/var/log/sgc-idle-stop.log
	touch "$log"
	chown ec2-user:ec2-user "$log"
	printf '%s\n%s\n' \
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin" \
		"*/5 * * * * ec2-user $python /usr/local/bin/sgc-idle-stop $minutes >>$log 2>&1" \
		>/etc/cron.d/sgc-idle-stop
	chmod 0644 /etc/cron.d/sgc-idle-stop
}
sgc_idle_stop
