"""Reports one event to the live monitor with nothing but Python's standard library:

    python3 send.py <publish-url> "login: user 4711 logged in"
"""
import sys
import urllib.parse
import urllib.request

if len(sys.argv) != 3:
    sys.exit('usage: python3 send.py <publish-url> "kind: what happened"')

url = sys.argv[1] + "?" + urllib.parse.urlencode({"message": sys.argv[2]})
with urllib.request.urlopen(url, timeout=10) as answer:
    print(answer.status, answer.read().decode())  # 202 {"seq":…,"delivered":…,"subscribers":…}
