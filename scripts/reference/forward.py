#!/usr/bin/env python3
"""Independent float64 reference forward of the architectures Cherry runs, in NumPy only.

Written from Hugging Face transformers' modeling code, not from Cherry's TypeScript:
  modeling_llama.py  (LlamaRMSNorm, rotate_half / apply_rotary_pos_emb, repeat_kv, LlamaMLP)
  modeling_qwen2.py  (q/k/v biases)      modeling_qwen3.py (q_norm / k_norm on each head before RoPE)
  modeling_gpt2.py   (Conv1D x @ W + b, fused c_attn, learned wpe, LayerNorm, NewGELU = gelu_new)
  modeling_rope_utils.py (_compute_linear_scaling_rope_parameters, _compute_llama3_parameters)
It reads the checkpoint folder itself (config.json, model.safetensors or model.safetensors.index.json
with shards; F32, F16, BF16).

Usage: python3 scripts/reference/forward.py MODEL_DIR < request.json
  request: {"sequences": [[id, ...], ...], "greedy": {"prompt": [id, ...], "n": N}}  (both optional)
  answer:  {"logprobs": [[log p(ids[t] | ids[<t]) for t >= 1], ...], "greedy": [N ids]}
"""
import json
import math
import os
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        buf = raw[8 + n + b : 8 + n + e]
        dt = info["dtype"]
        if dt == "F32":
            a = np.frombuffer(buf, "<f4")
        elif dt == "F16":
            a = np.frombuffer(buf, "<f2")
        elif dt == "BF16":
            a = (np.frombuffer(buf, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{path}: dtype {dt}")
        out[name] = a.astype(np.float64).reshape(info["shape"])
    return out


def load(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        w = read_safetensors(single)
    else:
        with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        w = {}
        for s in shards:
            w.update(read_safetensors(os.path.join(model_dir, s)))
    return cfg, w


def softmax(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


def causal_attention(q, k, v):
    """q [H, T, hd], k and v [H, T, hd] -> [T, H*hd]."""
    hd = q.shape[-1]
    T = q.shape[1]
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
    scores = scores + np.triu(np.full((T, T), -np.inf), 1)
    o = softmax(scores) @ v  # [H, T, hd]
    return o.transpose(1, 0, 2).reshape(T, -1)


# ---------------------------------------------------------------- Llama, Qwen2, Qwen3

def rms_norm(x, w, eps):
    var = np.mean(x * x, axis=-1, keepdims=True)
    return w * (x / np.sqrt(var + eps))


def inv_freq_of(cfg, dim):
    base = cfg.get("rope_theta", 10000.0)
    inv_freq = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    rs = cfg.get("rope_scaling")
    if not rs:
        return inv_freq
    kind = rs.get("rope_type", rs.get("type"))
    factor = rs["factor"]
    if kind == "linear":
        return inv_freq / factor
    if kind == "llama3":
        low_freq_factor = rs["low_freq_factor"]
        high_freq_factor = rs["high_freq_factor"]
        old_context_len = rs["original_max_position_embeddings"]
        low_freq_wavelen = old_context_len / low_freq_factor
        high_freq_wavelen = old_context_len / high_freq_factor
        wavelen = 2 * math.pi / inv_freq
        inv_freq_llama = np.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
        smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
        smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
        is_medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
        return np.where(is_medium, smoothed, inv_freq_llama)
    raise ValueError(f"rope_scaling {kind}")


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def llama_logits(cfg, w, ids):
    arch = cfg["architectures"][0]
    D = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads", H)
    hd = cfg.get("head_dim") or D // H
    eps = cfg.get("rms_norm_eps", 1e-6)
    T = len(ids)
    inv_freq = inv_freq_of(cfg, hd)
    freqs = np.outer(np.arange(T, dtype=np.float64), inv_freq)
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb)[None], np.sin(emb)[None]  # [1, T, hd]

    def lin(x, name):
        y = x @ w[name + ".weight"].T
        return y + w[name + ".bias"] if name + ".bias" in w else y

    x = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = lin(h, p + "self_attn.q_proj").reshape(T, H, hd).transpose(1, 0, 2)
        k = lin(h, p + "self_attn.k_proj").reshape(T, nkv, hd).transpose(1, 0, 2)
        v = lin(h, p + "self_attn.v_proj").reshape(T, nkv, hd).transpose(1, 0, 2)
        if arch == "Qwen3ForCausalLM":
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, H // nkv, axis=0)  # repeat_kv
        v = np.repeat(v, H // nkv, axis=0)
        x = x + lin(causal_attention(q, k, v), p + "self_attn.o_proj")
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = lin(h, p + "mlp.gate_proj")
        act = gate / (1 + np.exp(-gate))  # silu
        x = x + lin(act * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


# ---------------------------------------------------------------- GPT-2

def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * np.power(x, 3.0))))


def gpt2_logits(cfg, w, ids):
    w = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in w.items()}
    D = cfg["n_embd"]
    H = cfg["n_head"]
    hd = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    T = len(ids)

    def conv1d(x, name):  # Conv1D: weight [in, out]
        return x @ w[name + ".weight"] + w[name + ".bias"]

    x = w["wte.weight"][ids] + w["wpe.weight"][np.arange(T)]
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        q, k, v = np.split(conv1d(h, p + "attn.c_attn"), 3, axis=-1)
        heads = lambda t: t.reshape(T, H, hd).transpose(1, 0, 2)
        x = x + conv1d(causal_attention(heads(q), heads(k), heads(v)), p + "attn.c_proj")
        h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        x = x + conv1d(gelu_new(conv1d(h, p + "mlp.c_fc")), p + "mlp.c_proj")
    x = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], eps)
    head = w["lm_head.weight"] if cfg.get("tie_word_embeddings", True) is False else w["wte.weight"]
    return x @ head.T


def logits_of(cfg, w, ids):
    if cfg["architectures"][0] == "GPT2LMHeadModel":
        return gpt2_logits(cfg, w, ids)
    return llama_logits(cfg, w, ids)


def token_logprobs(cfg, w, ids):
    lg = logits_of(cfg, w, ids)
    lg = lg - lg.max(-1, keepdims=True)
    lp = lg - np.log(np.exp(lg).sum(-1, keepdims=True))
    return [float(lp[t, ids[t + 1]]) for t in range(len(ids) - 1)]


def greedy(cfg, w, prompt, n):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(np.argmax(logits_of(cfg, w, ids)[-1])))
    return ids[len(prompt):]


def main():
    cfg, w = load(sys.argv[1])
    req = json.load(sys.stdin)
    out = {"logprobs": [token_logprobs(cfg, w, s) for s in req.get("sequences", [])]}
    if req.get("greedy"):
        out["greedy"] = greedy(cfg, w, req["greedy"]["prompt"], req["greedy"]["n"])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
