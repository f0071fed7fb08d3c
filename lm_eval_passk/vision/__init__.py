"""The vision wing: benchmark adapters (``data``), answer reading (``text``, ``choice``,
``free_form``, ``paraphrase``), the verdict (``problem``, ``grading``) and the task class
(``task``)."""
