// The image's health probe: asks the app in this container for GET /health/ready on
// 127.0.0.1:$PORT and exits 0 when it answers 2xx, 1 otherwise (another status, no answer, or
// none within 4 s). Compose runs it as ["CMD", "node", "healthcheck.js"]: exec form, and no
// argument with a space in it, which Docker and podman's Docker API pass on alike (podman cuts
// an argument at its spaces, so an inline `node -e "fetch(…)"` check always failed under it).
'use strict';

const port = Number(process.env.PORT || 3001);
const url = `http://127.0.0.1:${port}/health/ready`;

fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  async (response) => {
    if (!response.ok) console.error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    process.exit(response.ok ? 0 : 1);
  },
  (error) => {
    console.error(`${url}: ${error.cause?.code ?? error.name}: ${error.message}`);
    process.exit(1);
  },
);
