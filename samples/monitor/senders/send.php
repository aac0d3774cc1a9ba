<?php
// Reports one event to the live monitor with plain PHP (allow_url_fopen on, the default):
//   php send.php <publish-url> "signup: new account from Oslo"
if ($argc !== 3) {
    fwrite(STDERR, "usage: php send.php <publish-url> \"kind: what happened\"\n");
    exit(2);
}
$url = $argv[1] . '?' . http_build_query(['message' => $argv[2]]);
echo file_get_contents($url), "\n"; // {"seq":…,"delivered":…,"subscribers":…}
