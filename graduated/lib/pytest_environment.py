"""A pytest plugin (loaded with ``-p`` in pyproject.toml) that sets the test environment.

It runs before pytest-django imports the settings, which conftest.py is too late for.
"""

import os
import tempfile

# Settings refuse to start without a secret key outside DEBUG; tests run with DEBUG off.
os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-not-for-any-real-installation")
# Serve static files from their sources: production's hashed names need collectstatic first.
os.environ.setdefault("STATIC_MANIFEST", "0")
# The test client and live server speak plain HTTP; production redirects it to HTTPS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Uploaded documents go to a scratch directory, not the checkout's var/: one for each xdist worker
# (a worker inherits the controller's environment), so that a test comparing the files stored
# before and after a request sees only its own.
if "PYTEST_XDIST_WORKER" in os.environ or "MEDIA_ROOT" not in os.environ:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"graduated-test-media-{worker}")
