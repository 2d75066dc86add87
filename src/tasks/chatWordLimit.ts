// chat-word-limit: length control. "In at most N words, explain what a volcano is." The grader pays for
// staying within N words and for staying on topic (the topic word appears), so padding and evasion lose.
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { chatProblem, CHAT_TASK_MODEL } from './chatItem';
import { generateSplit } from './generate';
import type { Problem } from './generate';
import { strField } from './types';
import type { Split, Task } from './types';

const NAME = 'chat-word-limit';

/** Topics and a short on-topic answer (at most 9 words) used as the SFT label and reference. */
const TOPICS: [string, string][] = [
  ['volcano', 'A volcano is a mountain that erupts molten rock.'],
  ['rainbow', 'A rainbow is sunlight split into colours by raindrops.'],
  ['library', 'A library lends books and other media to people.'],
  ['glacier', 'A glacier is a slow river of ice.'],
  ['compass', 'A compass is a needle that points north.'],
  ['battery', 'A battery stores chemical energy and releases electricity.'],
  ['bridge', 'A bridge carries a road over water or valleys.'],
  ['desert', 'A desert is land that gets very little rain.'],
  ['telescope', 'A telescope makes distant objects look closer.'],
  ['recipe', 'A recipe lists ingredients and steps for cooking.'],
  ['vaccine', 'A vaccine trains the immune system against a disease.'],
  ['comet', 'A comet is an icy body orbiting the Sun.'],
  ['thermometer', 'A thermometer measures temperature.'],
  ['honeybee', 'A honeybee collects nectar and makes honey.'],
  ['lighthouse', 'A lighthouse shines light to guide ships.'],
  ['keyboard', 'A keyboard has keys for typing text.'],
];
const FORMS: ((topic: string, n: number) => string)[] = [
  (t, n) => `In at most ${n} words, explain what a ${t} is.`,
  (t, n) => `Describe a ${t} in ${n} words or fewer.`,
  (t, n) => `Using no more than ${n} words, tell me what a ${t} is.`,
];

function make(rng: Rng): Problem {
  const [topic, answer] = rng.pick(TOPICS);
  const limit = rng.range(10, 25);
  return chatProblem(null, rng.pick(FORMS)(topic, limit), { reference_answer: answer, topic, max_words: limit });
}

const GRADER = `// Word limit: at most item.max_words words (split on whitespace), and on topic.
// length: 1 within the limit, then 1 - (extra words / limit), down to 0; an empty reply scores 0.
// topic: 1 if the topic word (item.topic) appears, case-insensitive, else 0.5.
// reward = length * topic.
function grade(sample, item) {
  const words = sample.output_text.trim().split(/\\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return 0;
  const extra = Math.max(0, words.length - item.max_words);
  const length = Math.max(0, 1 - extra / item.max_words);
  const topic = sample.output_text.toLowerCase().includes(item.topic.toLowerCase()) ? 1 : 0.5;
  return length * topic;
}
`;

export const chatWordLimit: Task = {
  name: NAME,
  title: 'Chat: answer in at most N words',
  explanation:
    'Teaches length and style control: small instruct models like to ramble, and this grader pays only for replies ' +
    'within the word limit (each extra word costs a share of the reward) that stay on topic (mentioning the topic ' +
    'word). Watch the completion length fall while the reward climbs. It also shows a reward that is easy to game: ' +
    'a bare topic word scores full marks, so read the samples, not just the curve.',
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget: (item: Item) => strField(NAME, item, 'reference_answer'),
  defaultGrader: { kind: 'js', code: GRADER, name: 'within the word limit and on topic' },
  maxNewTokens: 96,
  model: CHAT_TASK_MODEL,
  rl: true,
  chat: true,
};
