import json
import math
import re

# ---- grader "exact answer" (Python source from Cherry) ----
# Exact answer: the completion, without surrounding spaces, must be the reference number.
# A Python port of the arithmetic task's default JavaScript grader.
def grade(sample, item):
    return 1.0 if sample["output_text"].strip() == str(item["reference_answer"]) else 0.0
