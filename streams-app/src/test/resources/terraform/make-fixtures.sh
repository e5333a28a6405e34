#!/usr/bin/env bash
# Regenerates the plan fixtures read by PlanDriftTest. Needs terraform (1.11 was used); the tests
# themselves only read the JSON files checked in next to this script.
#
#   plan-no-changes.json       claim with the same inputs: nothing replaced
#   plan-replacements.json     claim changes disk size and image: two resources replaced, one updated in place
#   plan-tainted.json          a tainted resource: replaced without replace_paths ("reason unavailable")
#   plan-with-coder-resource.json  plan-replacements.json plus a replaced coder_agent resource and a
#                              module resource with a nested replace path (both added with python:
#                              the coder and docker providers cannot be downloaded here)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/main.tf" "$work/"
cd "$work"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
terraform init -input=false >/dev/null
terraform apply -input=false -auto-approve >/dev/null

terraform plan -input=false -out=same.plan >/dev/null
terraform show -json same.plan >"$here/plan-no-changes.json"

terraform plan -input=false -var disk_size=50 -var image=ubuntu-24.04 -var owner=alice -out=claim.plan >/dev/null
terraform show -json claim.plan >"$here/plan-replacements.json"

terraform taint terraform_data.metadata >/dev/null
terraform plan -input=false -out=tainted.plan >/dev/null
terraform show -json tainted.plan >"$here/plan-tainted.json"

python3 - "$here/plan-replacements.json" "$here/plan-with-coder-resource.json" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
plan["resource_changes"].append({
    "address": "coder_agent.main", "mode": "managed", "type": "coder_agent", "name": "main",
    "provider_name": "registry.terraform.io/coder/coder",
    "change": {"actions": ["delete", "create"], "before": {}, "after": {},
               "replace_paths": [["env"]]},
    "action_reason": "replace_because_cannot_update"})
plan["resource_changes"].append({
    "address": "module.storage.docker_volume.home[0]", "mode": "managed", "type": "docker_volume",
    "name": "home", "index": 0, "module_address": "module.storage",
    "provider_name": "registry.terraform.io/kreuzwerker/docker",
    "change": {"actions": ["create", "delete"], "before": {}, "after": {},
               "replace_paths": [["root_block_device", 0, "volume_size"], ["labels"]]},
    "action_reason": "replace_because_cannot_update"})
json.dump(plan, open(sys.argv[2], "w"))
PY
echo "fixtures written to $here"
