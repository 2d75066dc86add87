// Advantages from rewards, on plain numbers. Rewards arrive flat, group by group: prompt 0's G samples,
// then prompt 1's, … A null reward (the grader failed or timed out) is left out of every statistic and
// gets advantage 0; the trainer also masks it out of the loss (see `valid`).
//
// GRPO (DeepSeekMath, TRL GRPOTrainer): A_i = (r_i − mean(group)) / (std + 1e-4), where std is the
//   group's (scale_rewards='group'), the whole batch's ('batch'), or no division at all ('none').
//   Like TRL (torch.Tensor.std), std is the UNBIASED sample std (divides by n − 1); n = 1 gives std 0.
// RLOO (Ahmadian et al. 2024): A_i = r_i − mean of the OTHER valid rewards of the group
//   = n/(n−1) · (r_i − mean(group)); no std scaling.
// REINFORCE with a mean baseline: A_i = r_i − mean of all valid rewards in the batch.
// A group whose valid rewards are all equal has zero advantages: it is reported (zeroStd), not hidden.

/** Statistics of one group of rewards (nulls excluded). */
export interface GroupStats {
  /** Mean of the valid rewards, or null when every reward in the group is null. */
  mean: number | null;
  /** Unbiased std of the valid rewards (0 when fewer than two are valid). */
  std: number;
  /** True when the valid rewards carry no learning signal: all equal, or fewer than two valid. */
  zeroStd: boolean;
  /** Number of non-null rewards. */
  nValid: number;
  /** Number of samples in the group. */
  n: number;
}

export interface AdvantageResult {
  /** One advantage per sample, flat in the same order as the rewards (0 for null rewards). */
  advantages: number[];
  /** False for samples whose reward is null: they must be masked out of the loss. */
  valid: boolean[];
  /** One entry per group. */
  groups: GroupStats[];
}

export type AdvantageKind = 'grpo' | 'rloo' | 'reinforce';

/** Rewards that do not split into equal groups. */
export class AdvantageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdvantageInputError';
  }
}

/** torch.isclose(std, 0) with its default atol, as TRL uses to count zero-std groups. */
const ZERO_STD_ATOL = 1e-8;
/** Added to the std before dividing, as in TRL. */
export const STD_EPS = 1e-4;

function meanOf(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Unbiased (n − 1) sample std; 0 when n < 2. */
export function unbiasedStd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = meanOf(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

function checkShape(rewards: readonly (number | null)[], groupSize: number): void {
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new AdvantageInputError(`group size must be a positive integer, got ${groupSize}.`);
  }
  if (rewards.length % groupSize !== 0) {
    throw new AdvantageInputError(
      `${rewards.length} rewards do not split into groups of ${groupSize}: pass num_generations rewards per prompt.`,
    );
  }
  rewards.forEach((r, i) => {
    if (r !== null && !Number.isFinite(r)) {
      throw new AdvantageInputError(`reward ${i} is ${r}; a grader must return a finite number or null.`);
    }
  });
}

/** Per-group statistics of flat rewards, nulls excluded. */
export function groupStats(rewards: readonly (number | null)[], groupSize: number): GroupStats[] {
  checkShape(rewards, groupSize);
  const out: GroupStats[] = [];
  for (let g = 0; g < rewards.length; g += groupSize) {
    const vals = rewards.slice(g, g + groupSize).filter((r): r is number => r !== null);
    const std = unbiasedStd(vals);
    out.push({
      mean: vals.length ? meanOf(vals) : null,
      std,
      zeroStd: vals.length < 2 || std <= ZERO_STD_ATOL,
      nValid: vals.length,
      n: groupSize,
    });
  }
  return out;
}

/** Options of `computeAdvantages`. */
export interface AdvantageOptions {
  /** Which estimator. */
  kind: AdvantageKind;
  /** Samples per prompt (num_generations). */
  groupSize: number;
  /** GRPO only: divide by the group's std, the batch's std, or nothing. */
  scaleRewards?: 'group' | 'batch' | 'none';
}

/** Advantages for a flat batch of rewards laid out group by group. */
export function computeAdvantages(rewards: readonly (number | null)[], opts: AdvantageOptions): AdvantageResult {
  const { kind, groupSize } = opts;
  const groups = groupStats(rewards, groupSize);
  const valid = rewards.map((r) => r !== null);
  const advantages = new Array<number>(rewards.length).fill(0);
  const allValid = rewards.filter((r): r is number => r !== null);

  if (kind === 'reinforce') {
    if (allValid.length === 0) return { advantages, valid, groups };
    const m = meanOf(allValid);
    rewards.forEach((r, i) => {
      if (r !== null) advantages[i] = r - m;
    });
    return { advantages, valid, groups };
  }

  const batchStd = unbiasedStd(allValid);
  groups.forEach((gs, gi) => {
    if (gs.zeroStd || gs.mean === null) return; // no signal: advantages stay 0
    const mean = gs.mean;
    for (let i = gi * groupSize; i < (gi + 1) * groupSize; i++) {
      const r = rewards[i];
      if (r === null) continue;
      if (kind === 'rloo') {
        advantages[i] = (gs.nValid / (gs.nValid - 1)) * (r - mean);
      } else {
        const scale = opts.scaleRewards ?? 'group';
        const div = scale === 'group' ? gs.std + STD_EPS : scale === 'batch' ? batchStd + STD_EPS : 1;
        advantages[i] = (r - mean) / div;
      }
    }
  });
  return { advantages, valid, groups };
}
