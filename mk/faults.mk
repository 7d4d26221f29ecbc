# Fault tests (issue 6). The quick variants are plain pytest files under Tests/python and run
# in `make test`; this target runs the slow ones: 300 SIGKILL rounds instead of 50 (by hand, `make faults-slow`:
# it is neither a test of CI nor a benchmark).
.PHONY: faults-slow

faults-slow: all sandbox python-binding
	CARNET_CRASH_ROUNDS=$${CARNET_CRASH_ROUNDS:-300} $(PYTHON) -m pytest -q Tests/python/test_faults_crash.py -k killed

