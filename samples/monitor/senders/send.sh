#!/bin/sh
# Reports one event to the live monitor with curl:
#   sh send.sh <publish-url> "checkout: €42"
# The message is "kind: what happened". -G with --data-urlencode makes it one GET ?message=…
curl -sS -G "$1" --data-urlencode "message=$2"
echo
