#!/usr/bin/env bash
# The Azure Resource Graph exports `steward report` reads, every page combined into one document
# in az graph query's own form, { count, data, skip_token: null, total_records }, with the first
# page's total_records: steward refuses it when the pages combined do not add up to that total (a
# page alone, or a bare array, could leave out what the report looks for). Run by the CI
# templates after an Azure login that can read every client subscription.
#
#   scripts/resource-graph-export.sh inventory inventory.json                  # --inventory
#   scripts/resource-graph-export.sh patch-assessment patch-assessment.json    # --patch-assessment
#
# The queries are those of core/coverage.ts and core/patch-assessment.ts. Needs the Azure CLI's
# resource-graph extension, and jq.
set -euo pipefail

case "${1:-}" in
  inventory)
    query="resources
      | where type in~ ('microsoft.compute/virtualmachines','microsoft.hybridcompute/machines','microsoft.compute/virtualmachinescalesets')
      | union (computeresources | where type =~ 'microsoft.compute/virtualmachinescalesets/virtualmachines')
      | project id, name, type, resourceGroup, subscriptionId, tags, properties"
    ;;
  patch-assessment)
    query="patchassessmentresources
      | where type in~ ('microsoft.compute/virtualmachines/patchassessmentresults',
                       'microsoft.compute/virtualmachines/patchassessmentresults/softwarepatches',
                       'microsoft.hybridcompute/machines/patchassessmentresults',
                       'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches')
      | project id, name, type, resourceGroup, subscriptionId, properties"
    ;;
  *)
    echo "usage: $0 inventory|patch-assessment OUT.json" >&2
    exit 2
    ;;
esac
out="${2:?usage: $0 inventory|patch-assessment OUT.json}"

page="$(mktemp)"
records="$(mktemp)"
trap 'rm -f "$page" "$records" "$records.part"' EXIT
echo '[]' > "$records"
token=""
total=""
while :; do
  if [ -z "$token" ]; then
    az graph query -q "$query" --first 1000 --output json > "$page"
    total="$(jq '.total_records' "$page")"
  else
    az graph query -q "$query" --first 1000 --skip-token "$token" --output json > "$page"
  fi
  jq -s '.[0] + .[1].data' "$records" "$page" > "$records.part"
  mv "$records.part" "$records"
  token="$(jq -r '.skip_token // empty' "$page")"
  [ -n "$token" ] || break
done
jq --argjson total "$total" '{count: length, data: ., skip_token: null, total_records: $total}' "$records" > "$out"
