"""The code wing: benchmark adapters (``data``), program extraction (``extract``), the
benchmarks' judging rules (``rules``, ``suites``), parallel runs (``grading``) in the
``sandbox``, and the task class (``task``)."""
