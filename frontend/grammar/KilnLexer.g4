// KilnLexer.g4 - Tokens of Python 3.11 source, for Kiln's parser.
//
// This lexer produces the raw token stream: physical NEWLINEs, comments on
// the hidden channel, and every bracket as its own token. The C++ subclass
// in frontend/Lexer.cpp turns that into Python's logical token stream
// (INDENT/DEDENT, no NEWLINE inside brackets or on blank lines), collects
// `# kiln export` comments and reports lexical errors. Whitespace is
// skipped; indentation is measured from the source text itself.
//
// Anything the rules below do not match becomes ERRORCHAR, so the generated
// lexer itself never fails; the C++ layer turns ERRORCHAR and the
// UNTERMINATED_STRING token into diagnostics.
lexer grammar KilnLexer;

tokens { INDENT, DEDENT }

// ---- Keywords (Python 3.11 `keyword.kwlist`) ----------------------------
FALSE    : 'False';
NONE     : 'None';
TRUE     : 'True';
AND      : 'and';
AS       : 'as';
ASSERT   : 'assert';
ASYNC    : 'async';
AWAIT    : 'await';
BREAK    : 'break';
CLASS    : 'class';
CONTINUE : 'continue';
DEF      : 'def';
DEL      : 'del';
ELIF     : 'elif';
ELSE     : 'else';
EXCEPT   : 'except';
FINALLY  : 'finally';
FOR      : 'for';
FROM     : 'from';
GLOBAL   : 'global';
IF       : 'if';
IMPORT   : 'import';
IN       : 'in';
IS       : 'is';
LAMBDA   : 'lambda';
NONLOCAL : 'nonlocal';
NOT      : 'not';
OR       : 'or';
PASS     : 'pass';
RAISE    : 'raise';
RETURN   : 'return';
TRY      : 'try';
WHILE    : 'while';
WITH     : 'with';
YIELD    : 'yield';

// Soft keywords: names everywhere except at the start of a `match`
// statement or a `case` block (the parser's `name` rule accepts them).
MATCH    : 'match';
CASE     : 'case';

// ---- Literals -------------------------------------------------------------
// A string literal, prefix included; escapes are decoded by the AST builder.
STRING
  : STRING_PREFIX? ( SHORT_STRING | LONG_STRING )
  ;

// An opening quote with no closing quote on the same line. A terminated
// string is always longer, so it wins the longest-match rule.
UNTERMINATED_STRING
  : STRING_PREFIX? ( '\'' ( STRING_ESCAPE | ~[\\\r\n'] )*
                   | '"'  ( STRING_ESCAPE | ~[\\\r\n"] )* )
  ;

INTEGER
  : DECIMAL_INTEGER | OCT_INTEGER | HEX_INTEGER | BIN_INTEGER
  ;

FLOAT_NUMBER
  : POINT_FLOAT | EXPONENT_FLOAT
  ;

IMAG_NUMBER
  : ( FLOAT_NUMBER | DIGIT_PART ) [jJ]
  ;

// ---- Operators and delimiters -----------------------------------------
ELLIPSIS    : '...';
DOT         : '.';
STAR        : '*';
OPEN_PAREN  : '(';
CLOSE_PAREN : ')';
COMMA       : ',';
COLON       : ':';
SEMI_COLON  : ';';
POWER       : '**';
ASSIGN      : '=';
OPEN_BRACK  : '[';
CLOSE_BRACK : ']';
OR_OP       : '|';
XOR         : '^';
AND_OP      : '&';
LEFT_SHIFT  : '<<';
RIGHT_SHIFT : '>>';
ADD         : '+';
MINUS       : '-';
DIV         : '/';
MOD         : '%';
IDIV        : '//';
NOT_OP      : '~';
OPEN_BRACE  : '{';
CLOSE_BRACE : '}';
LESS_THAN   : '<';
GREATER_THAN: '>';
EQUALS      : '==';
GT_EQ       : '>=';
LT_EQ       : '<=';
NOT_EQ      : '!=';
AT          : '@';
ARROW       : '->';
WALRUS      : ':=';
ADD_ASSIGN  : '+=';
SUB_ASSIGN  : '-=';
MULT_ASSIGN : '*=';
AT_ASSIGN   : '@=';
DIV_ASSIGN  : '/=';
MOD_ASSIGN  : '%=';
AND_ASSIGN  : '&=';
OR_ASSIGN   : '|=';
XOR_ASSIGN  : '^=';
LEFT_SHIFT_ASSIGN  : '<<=';
RIGHT_SHIFT_ASSIGN : '>>=';
POWER_ASSIGN       : '**=';
IDIV_ASSIGN        : '//=';

// ---- Names --------------------------------------------------------------
// Approximates Python's XID_Start / XID_Continue with general categories.
NAME
  : ID_START ID_CONTINUE*
  ;

// ---- Layout ---------------------------------------------------------------
// Every physical line break; the C++ layer drops the ones Python ignores.
NEWLINE
  : '\r'? '\n' | '\r'
  ;

// A backslash at the end of a line joins it with the next one.
LINE_JOIN
  : '\\' ( '\r'? '\n' | '\r' ) -> skip
  ;

COMMENT
  : '#' ~[\r\n]* -> channel(HIDDEN)
  ;

WS
  : [ \t\f]+ -> skip
  ;

// Anything else: reported as an invalid character by the C++ layer.
ERRORCHAR
  : .
  ;

// ---- Fragments ------------------------------------------------------------
fragment STRING_PREFIX
  : [rRuUfFbB] | [rR][bB] | [bB][rR] | [rR][fF] | [fF][rR]
  ;

fragment STRING_ESCAPE
  : '\\' ( '\r\n' | . )
  ;

fragment SHORT_STRING
  : '\'' ( STRING_ESCAPE | ~[\\\r\n'] )* '\''
  | '"'  ( STRING_ESCAPE | ~[\\\r\n"] )* '"'
  ;

fragment LONG_STRING
  : '\'\'\'' LONG_STRING_ITEM*? '\'\'\''
  | '"""' LONG_STRING_ITEM*? '"""'
  ;

fragment LONG_STRING_ITEM
  : STRING_ESCAPE | ~'\\'
  ;

fragment DECIMAL_INTEGER : NON_ZERO_DIGIT ( '_'? DIGIT )* | '0'+ ( '_'? '0' )* ;
fragment OCT_INTEGER : '0' [oO] ( '_'? OCT_DIGIT )+ ;
fragment HEX_INTEGER : '0' [xX] ( '_'? HEX_DIGIT )+ ;
fragment BIN_INTEGER : '0' [bB] ( '_'? BIN_DIGIT )+ ;
fragment NON_ZERO_DIGIT : [1-9] ;
fragment DIGIT : [0-9] ;
fragment OCT_DIGIT : [0-7] ;
fragment HEX_DIGIT : [0-9a-fA-F] ;
fragment BIN_DIGIT : [01] ;
fragment DIGIT_PART : DIGIT ( '_'? DIGIT )* ;
fragment POINT_FLOAT : DIGIT_PART? '.' DIGIT_PART | DIGIT_PART '.' ;
fragment EXPONENT_FLOAT : ( DIGIT_PART | POINT_FLOAT ) [eE] [+-]? DIGIT_PART ;

fragment ID_START
  : [_\p{L}\p{Nl}]
  ;

fragment ID_CONTINUE
  : [_\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]
  ;
