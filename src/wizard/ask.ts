// The questions the wizard asks, as plain data, and the one interface that answers them (a terminal or a test).

export interface Choice<T> {
  value: T;
  /** What the list shows. */
  name: string;
  /** Shown under the list while this choice is highlighted. */
  description?: string;
  /** Shown as the answer once chosen (default: name). */
  short?: string;
}

/** A heading between choices (e.g. a provider in the model list). */
export interface Heading {
  heading: string;
}

interface QuestionBase {
  /** Stable id: tests script answers by it. */
  id: string;
  message: string;
}

export interface SelectQuestion<T = unknown> extends QuestionBase {
  kind: 'select';
  choices: Array<Choice<T> | Heading>;
  default: T;
}

export interface InputQuestion extends QuestionBase {
  kind: 'input';
  default?: string;
  /** true, or what is wrong with the text as typed (shown under the prompt; the question is asked again). */
  validate(text: string): true | string | Promise<true | string>;
}

export interface ConfirmQuestion extends QuestionBase {
  kind: 'confirm';
  default: boolean;
}

/** A list filtered as the user types (the model picker). */
export interface SearchQuestion<T = unknown> extends QuestionBase {
  kind: 'search';
  /** Choices matching `term` (all of them for an empty term), the suggested one first. */
  source(term: string): Array<Choice<T> | Heading>;
  /** The answer a person gets by pressing Enter straight away (the first choice of source('')). */
  default: T;
}

/** Answers questions and shows notes between them. Ctrl-C rejects with InterruptedError. */
export interface Ask {
  select<T>(q: Omit<SelectQuestion<T>, 'kind'>): Promise<T>;
  input(q: Omit<InputQuestion, 'kind'>): Promise<string>;
  confirm(q: Omit<ConfirmQuestion, 'kind'>): Promise<boolean>;
  search<T>(q: Omit<SearchQuestion<T>, 'kind'>): Promise<T>;
  /** A line of information between questions (a token count, a preview). */
  note(text: string): void;
}

export function isHeading<T>(c: Choice<T> | Heading): c is Heading {
  return (c as Heading).heading !== undefined;
}
