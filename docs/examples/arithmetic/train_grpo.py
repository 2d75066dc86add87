#!/usr/bin/env python3
"""GRPO fine-tuning exported from Cherry: task 'arithmetic', default hyperparameters.

Run (one machine or a cluster, unchanged):
    pip install "trl>=1.6" datasets accelerate
    accelerate launch train_grpo.py
Data next to this file: train.jsonl and valid.jsonl (OpenAI RFT rows:
{"messages": [{"role": "user", "content": ...}], ...reference fields}); each row's other fields reach the
grader as item[...]. Choose the model with CHERRY_BASE_MODEL=<Hugging Face id or folder>.

What did not carry over exactly:
  - per_device_train_batch_size counts completions (batch_prompts × num_generations) per GPU: with N GPUs each step sees N times as many prompts as in Cherry.
  - learning_rate was tuned for Cherry's tiny models; billion-parameter models usually need about 1e-6.
  - invalid grader output (None) is excluded from its group's statistics, as in Cherry: that needs TRL >= 1.6 (earlier versions count None as 0), so the pip line pins it and the script stops on an older TRL.
"""


# ---- grader: grade(sample, item) ----
import json
import math
import re

# ---- grader "exact answer" (Python source from Cherry) ----
# Exact answer: the completion, without surrounding spaces, must be the reference number.
# A Python port of the arithmetic task's default JavaScript grader.
def grade(sample, item):
    return 1.0 if sample["output_text"].strip() == str(item["reference_answer"]) else 0.0


# ---- training ----
import os

from datasets import load_dataset
import trl

if tuple(int(x) for x in re.findall(r"\d+", trl.__version__)[:2]) < (1, 6):
    raise SystemExit("TRL " + trl.__version__ + " counts a None reward as 0; this script needs trl>=1.6 "
                     "(pip install 'trl>=1.6'), or export again with invalid_reward 'zero'")
from trl import GRPOConfig, GRPOTrainer

MODEL = os.environ.get("CHERRY_BASE_MODEL", "Qwen/Qwen2.5-0.5B-Instruct")
HERE = os.path.dirname(os.path.abspath(__file__))
INVALID_REWARD = None  # excluded from the group (TRL >= 1.6)


def _json_or_none(text):
    t = text.strip()
    if t.startswith("{") or t.startswith("["):
        try:
            return json.loads(t)
        except ValueError:
            return None
    return None


def cherry_reward(completions, **kwargs):
    """TRL reward function: runs grade(sample, item) on each completion; None = unscorable."""
    prompts = kwargs.pop("prompts", None)
    completion_ids = kwargs.pop("completion_ids", None)
    rewards = []
    for i, completion in enumerate(completions):
        # Conversational datasets give [{"role": "assistant", "content": ...}], plain ones a string.
        text = completion[-1]["content"] if isinstance(completion, list) else completion
        item = {k: v[i] for k, v in kwargs.items() if isinstance(v, list) and len(v) == len(completions)}
        if prompts is not None:
            # Cherry's item.prompt: the prompt text (a one-message conversation gives its content back).
            p = prompts[i]
            item.setdefault("messages", p)
            item.setdefault("prompt", p if isinstance(p, str) else "\n".join(str(m.get("content", "")) for m in p))
        sample = {
            "output_text": text,
            "output_json": _json_or_none(text),
            "output_tokens": len(completion_ids[i]) if completion_ids is not None else None,
        }
        value = grade(sample, item)
        if isinstance(value, dict):
            value = value.get("score")
        rewards.append(INVALID_REWARD if value is None else float(value))
    return rewards


def _load(name):
    ds = load_dataset("json", data_files=os.path.join(HERE, name), split="train")
    return ds.rename_column("messages", "prompt")  # TRL's conversational prompt column


config = GRPOConfig(
    output_dir="cherry-arithmetic-grpo",
    max_steps=60,
    per_device_train_batch_size=64,
    gradient_accumulation_steps=1,
    num_generations=8,
    learning_rate=0.0002,
    lr_scheduler_type="constant",
    warmup_ratio=0.0,
    weight_decay=0.0,
    adam_beta1=0.9,
    adam_beta2=0.999,
    adam_epsilon=1e-8,
    max_grad_norm=1.0,
    beta=0.0,
    epsilon=0.2,
    epsilon_high=0.2,
    num_iterations=1,
    loss_type="grpo",
    scale_rewards="group",
    mask_truncated_completions=False,
    temperature=1.0,
    top_p=1.0,
    top_k=0,
    max_completion_length=32,
    seed=42,
    eval_strategy="steps",
    eval_steps=10,
    per_device_eval_batch_size=64,
    save_strategy="no",
    logging_steps=1,
    report_to="none",
)


def main():
    trainer = GRPOTrainer(
        model=MODEL,
        reward_funcs=cherry_reward,
        args=config,
        train_dataset=_load("train.jsonl"),
        eval_dataset=_load("valid.jsonl"),
    )
    trainer.train()
    trainer.save_model(config.output_dir)


if __name__ == "__main__":
    main()
