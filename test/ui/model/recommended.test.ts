// The recommended models' sizes, computed from their configs, against the parameter counts their model
// cards publish and against src/model's tensor shapes (an independent count of the same configs).
import { describe, expect, it } from 'vitest';
import { countParams, parseHFConfig } from '../../../src/model';
import { RECOMMENDED, recommendedSize } from '../../../src/ui/model/recommended';

/** Counts the transformers implementations give (`sum(p.numel() for p in model.parameters())`). */
const PUBLISHED: Record<string, number> = {
  'hf:HuggingFaceTB/SmolLM2-135M-Instruct': 134_515_008,
  'hf:Qwen/Qwen2.5-0.5B-Instruct': 494_032_768,
  'hf:Qwen/Qwen3-0.6B': 596_049_920,
  'hf:openai-community/gpt2': 124_439_808,
  'hf:meta-llama/Llama-3.2-1B-Instruct': 1_235_814_400,
};

describe('recommended Hub models', () => {
  it('are the six models of issue 12, each a config parseHFConfig accepts', () => {
    expect(RECOMMENDED.map((m) => m.source.replace(/^.*\//, ''))).toEqual([
      'SmolLM2-135M-Instruct',
      'SmolLM2-360M-Instruct',
      'Qwen2.5-0.5B-Instruct',
      'Qwen3-0.6B',
      'gpt2',
      'Llama-3.2-1B-Instruct',
    ]);
  });
  for (const m of RECOMMENDED) {
    it(`${m.source}: parameter count matches the tensor shapes${PUBLISHED[m.source] !== undefined ? ' and the published count' : ''}`, () => {
      const { parameters, downloadBytes } = recommendedSize(m);
      expect(parameters).toBe(countParams(parseHFConfig(m.config, m.source)));
      if (PUBLISHED[m.source] !== undefined) expect(parameters).toBe(PUBLISHED[m.source]);
      expect(downloadBytes).toBe(parameters * (m.source.endsWith('gpt2') ? 4 : 2));
    });
  }
});
