"""The math wing: benchmark adapters (``data``), answer reading (``extract``), grading
(``grading`` over ``strict`` / ``paper`` / ``fast``) and the task class (``task``)."""
