/**
 * Quality by question: over the evaluations of a time, how each question of each form was answered, so a
 * supervisor sees what the team misses (identity checks skipped, calls not resolved) rather than only each
 * agent's average. A question is known by its form and id; its text, kind and weight are as the newest
 * evaluation asked it (a form edited since keeps its questions' ids). Pure: evaluations in, figures out.
 */
import type { AnsweredQuestion, Evaluation } from './evaluations.js';

/** A question as the newest evaluation asked it (a scale's `max` always set), with how it was answered. */
export interface QuestionFigures
  extends Pick<AnsweredQuestion, 'id' | 'text' | 'kind' | 'max' | 'weight' | 'critical'> {
  /** Evaluations that asked it. */
  asked: number;
  /** Answered "not applicable": left out of its figures. */
  notApplicable: number;
  /** Yes-no: answered yes. */
  met?: number;
  /** Scale: the mean mark of those marked, one decimal (none while it never applied). */
  averageMark?: number;
  /** The share of its points earned where it applied (yes, or the mark out of its scale), % one decimal; null when it never applied. */
  percent: number | null;
  /** A critical question answered "no" (each failed its evaluation). */
  criticalFails: number;
}

export interface FormFigures {
  formId: string;
  /** As the newest evaluation named it. */
  formName: string;
  evaluations: number;
  /** Mean score (%), one decimal. */
  averageScore: number;
  passed: number;
  /** The questions in the newest evaluation's order, then any asked only by older ones. */
  questions: QuestionFigures[];
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

interface Tally {
  figures: QuestionFigures;
  /** Sum of the shares earned (0..1) and of the marks, over the answered. */
  share: number;
  marks: number;
  /** Answered (not n/a), and of those marked on a scale. */
  answered: number;
  marked: number;
}

/** Per form (the most evaluated first), each question's figures over `evaluations` (any order). */
export function questionFigures(evaluations: readonly Evaluation[]): FormFigures[] {
  const newestFirst = [...evaluations].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
  const forms = new Map<string, { form: FormFigures; scores: number; tallies: Map<string, Tally> }>();
  for (const e of newestFirst) {
    let entry = forms.get(e.formId);
    if (!entry) {
      entry = {
        form: {
          formId: e.formId,
          formName: e.formName,
          evaluations: 0,
          averageScore: 0,
          passed: 0,
          questions: [],
        },
        scores: 0,
        tallies: new Map(),
      };
      forms.set(e.formId, entry);
    }
    entry.form.evaluations += 1;
    entry.scores += e.score;
    if (e.passed) entry.form.passed += 1;
    for (const q of e.answers) {
      let tally = entry.tallies.get(q.id);
      if (!tally) {
        tally = {
          figures: {
            id: q.id,
            text: q.text,
            kind: q.kind,
            ...(q.kind === 'scale' ? { max: q.max ?? 5 } : {}),
            weight: q.weight,
            critical: q.critical,
            asked: 0,
            notApplicable: 0,
            ...(q.kind === 'yes-no' ? { met: 0 } : {}),
            percent: null,
            criticalFails: 0,
          },
          share: 0,
          marks: 0,
          answered: 0,
          marked: 0,
        };
        entry.tallies.set(q.id, tally);
      }
      const f = tally.figures;
      f.asked += 1;
      if (q.answer === null) {
        f.notApplicable += 1;
        continue;
      }
      tally.answered += 1;
      if (typeof q.answer === 'boolean') {
        // Asked as yes-no then (a question whose kind changed counts each answer as it was asked).
        if (q.answer) {
          tally.share += 1;
          if (f.met !== undefined) f.met += 1;
        } else if (q.critical) f.criticalFails += 1;
      } else {
        tally.share += q.answer / (q.max ?? 5);
        tally.marks += q.answer;
        tally.marked += 1;
      }
    }
  }
  return [...forms.values()]
    .map(({ form, scores, tallies }) => ({
      ...form,
      averageScore: oneDecimal(scores / form.evaluations),
      questions: [...tallies.values()].map(({ figures, share, marks, answered, marked }) => ({
        ...figures,
        ...(marked > 0 ? { averageMark: oneDecimal(marks / marked) } : {}),
        percent: answered > 0 ? oneDecimal((share / answered) * 100) : null,
      })),
    }))
    .sort((a, b) => b.evaluations - a.evaluations || a.formId.localeCompare(b.formId));
}
