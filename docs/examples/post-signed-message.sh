#!/usr/bin/env bash
# Posts one message to connectivity, signed by hand as docs/protocol.md says: no code of this
# repository involved, only a shell, openssl and curl.
#   usage: SECRET=... post-signed-message.sh <connectivity url> <message url> [text] [phone number]
# Prints the HTTP status connectivity answered.
set -euo pipefail
base="${1:?connectivity url}"
message="${2:?message url}"
text="${3:-Hello world}"
phone="${4:-393331234567}"
body=$(printf '{"text":"%s","phoneNumber":"%s","message":"%s"}' "$text" "$phone" "$message")
t=$(date +%s)
sig=$(printf '%s' "$t.POST./messages.$body" | openssl dgst -sha256 -hmac "${SECRET:?SECRET}" | sed 's/.*= //')
curl -s -o /dev/null -w '%{http_code}\n' -X POST "$base/messages" \
  -H 'content-type: application/json' -H "X-Authentication: t=$t,v1=$sig" --data-binary "$body"
