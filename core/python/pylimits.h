#pragma once
// Nesting limits shared by the Python readers, so that hostile or generated input ends in
// a syntax error instead of a stack overflow in a recursive-descent parser.

namespace retort::PyLimits {

// Python's tokenizer (MAXLEVEL): the 201st open bracket is "too many nested parentheses".
// Every bracket-driven recursion of our parsers is bounded by this, checked in the lexer.
constexpr int MaxBracketDepth = 200;
inline constexpr const char *TooManyParentheses = "too many nested parentheses";

// Python's tokenizer (MAXINDENT): the 100th indentation level is refused.
constexpr int MaxIndentDepth = 100;
inline constexpr const char *TooManyIndents = "too many levels of indentation";

// Operators that nest without brackets (unary - + ~, not, the right side of **, chained
// `x if c else ...`) recurse in the parsers too. Python itself parses a few thousand
// before its parser stack gives up; beyond this many we report an error.
constexpr int MaxOperatorDepth = 1000;
inline constexpr const char *TooManyOperators = "too many nested operators";

// The script interpreter runs loops and helper calls itself. A script going beyond these
// (deep recursion, huge loops) is left to Python, which has its own limits and errors.
constexpr int MaxCallDepth = 32;            // nested helper calls
constexpr int MaxStatements = 100000;      // statements run in loops and helper calls, per function
constexpr int MaxSequenceLength = 100000;   // range() and other built sequences

} // namespace retort::PyLimits
