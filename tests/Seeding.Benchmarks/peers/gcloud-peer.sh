#!/usr/bin/env bash
# The peer a user would otherwise script with the gcloud CLI: the same N topics, each with one subscription, as the
# resources benchmark's YAML (topic-NNNNN, sub-NNNNN). Check-then-create the way a script does it cheaply: list what
# exists (one call each), create every missing topic in one command, then each missing subscription (gcloud creates
# several subscriptions in one command only on one topic, so one command per subscription here).
#   gcloud-peer.sh PROJECT_ID N    (the benchmark points gcloud at the emulator: CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB)
set -euo pipefail
project="$1"
n="$2"
name() { printf '%s-%05d' "$1" "$2"; }
existing_topics=" $(gcloud pubsub topics list --project "$project" --format='value(name.basename())' | tr '\n' ' ') "
existing_subscriptions=" $(gcloud pubsub subscriptions list --project "$project" --format='value(name.basename())' | tr '\n' ' ') "
missing=()
for ((i = 1; i <= n; i++)); do
  topic=$(name topic "$i")
  [[ "$existing_topics" == *" $topic "* ]] || missing+=("$topic")
done
if ((${#missing[@]} > 0)); then
  gcloud pubsub topics create "${missing[@]}" --project "$project" --quiet > /dev/null 2>&1
fi
created=${#missing[@]}
for ((i = 1; i <= n; i++)); do
  subscription=$(name sub "$i")
  if [[ "$existing_subscriptions" != *" $subscription "* ]]; then
    gcloud pubsub subscriptions create "$subscription" --topic "$(name topic "$i")" --project "$project" --quiet > /dev/null 2>&1
    created=$((created + 1))
  fi
done
echo "{\"created\":$created}"
