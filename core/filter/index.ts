// The display-filter language (issue 5): parse, check, compile; validation for the filter bar
// and completions. See compile.ts for the semantics and values.ts for literals.
export { FilterError, caretLines } from './errors';
export { compileFilter, type CompiledFilter, type CompileOptions } from './compile';
export { checkFilter, filterReferences } from './check';
export { filterCompletions } from './completions';
export { FUNCTIONS } from './functions';
