#!/bin/sh
# The terminal view of the live monitor: follows the dashboard's topic and prints each event as
# the relay streams it (Server-Sent Events through curl -N). Ctrl-C stops it.
#   sh watch.sh [relay]        default http://127.0.0.1:8080
set -eu
relay=${1:-http://127.0.0.1:8080}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# 1. The topic, as the sample's backend hands it to the dashboard: {"topic":…,"url":…,"subscribeKey":…}
topic=$(curl -sS "$relay/samples/monitor/api/topic")
# 2. An address of our own: {"client":…,"key":…,"channel":…,…,"cursor":…}
me=$(curl -sS -X POST "$relay/connect")
client=$(echo "$me" | field client)
key=$(echo "$me" | field key)
channel=$(echo "$me" | field channel)
cursor=$(echo "$me" | field cursor)
# 3. Our channel follows the topic.
curl -sS -o /dev/null --fail \
  --data-urlencode "client=$client" --data-urlencode "key=$key" --data-urlencode "channel=$channel" \
  --data-urlencode "topic=$(echo "$topic" | field topic)" \
  --data-urlencode "subscribeKey=$(echo "$topic" | field subscribeKey)" \
  "$relay/subscribe"
# 4. Watch, from the cursor connect gave us, so nothing published since the subscribe is missed:
#    one "data:" line per event, and a heartbeat every 15 s.
echo "following the monitor's topic as $channel; Ctrl-C to stop" >&2
exec curl -sS -N -H 'Accept: text/event-stream' \
  "$relay/events?client=$client&channel=$channel&key=$key&cursor=$cursor"
