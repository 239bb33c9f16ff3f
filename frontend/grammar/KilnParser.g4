// KilnParser.g4 - Python 3.11 statements and expressions, for Kiln.
//
// Covers the whole language so that constructs Kiln does not compile are
// recognised (and turned into Unsupported AST nodes by ASTBuilder.cpp)
// rather than mis-parsed. The rules follow CPython's LL(1) grammar of
// Python 3.8 (Grammar/Grammar) with the later additions: positional-only
// parameters, relaxed decorators, parenthesised context managers,
// `except*`, starred subscripts and the `match` statement.
//
// Expression rules are layered by precedence, lowest first; `power` binds
// tighter than a unary operator on its left (-2**2 == -(2**2)) and is right
// associative through `factor`. Parameter lists are deliberately permissive;
// ASTBuilder checks their order and reports CPython's messages.
parser grammar KilnParser;

options { tokenVocab = KilnLexer; }

// ---- Top level ------------------------------------------------------------
file_input
  : ( NEWLINE | stmt )* EOF
  ;

// ---- Functions and decorators ---------------------------------------------
decorator
  : '@' namedexpr_test NEWLINE
  ;

decorators
  : decorator+
  ;

decorated
  : decorators ( classdef | funcdef | async_funcdef )
  ;

async_funcdef
  : ASYNC funcdef
  ;

funcdef
  : 'def' name parameters ( '->' test )? ':' block
  ;

parameters
  : '(' typedargslist? ')'
  ;

typedargslist
  : tparam ( ',' tparam )* ','?
  ;

tparam
  : tfpdef ( '=' test )?   # PlainParam
  | '*' tfpdef?            # StarParam
  | '**' tfpdef            # DoubleStarParam
  | '/'                    # SlashParam
  ;

tfpdef
  : name ( ':' test )?
  ;

varargslist
  : vparam ( ',' vparam )* ','?
  ;

vparam
  : name ( '=' test )?
  | '*' name?
  | '**' name
  | '/'
  ;

// ---- Statements -----------------------------------------------------------
stmt
  : simple_stmts
  | compound_stmt
  ;

simple_stmts
  : small_stmt ( ';' small_stmt )* ';'? NEWLINE
  ;

small_stmt
  : expr_stmt
  | del_stmt
  | pass_stmt
  | flow_stmt
  | import_stmt
  | global_stmt
  | nonlocal_stmt
  | assert_stmt
  ;

expr_stmt
  : testlist_star_expr
    ( annassign
    | augassign ( yield_expr | testlist_star_expr )
    | ( '=' ( yield_expr | testlist_star_expr ) )*
    )
  ;

annassign
  : ':' test ( '=' ( yield_expr | testlist_star_expr ) )?
  ;

testlist_star_expr
  : ( test | star_expr ) ( ',' ( test | star_expr ) )* ','?
  ;

augassign
  : '+=' | '-=' | '*=' | '@=' | '/=' | '%=' | '&=' | '|=' | '^='
  | '<<=' | '>>=' | '**=' | '//='
  ;

del_stmt      : 'del' exprlist ;
pass_stmt     : 'pass' ;
flow_stmt     : break_stmt | continue_stmt | return_stmt | raise_stmt | yield_stmt ;
break_stmt    : 'break' ;
continue_stmt : 'continue' ;
return_stmt   : 'return' testlist_star_expr? ;
yield_stmt    : yield_expr ;
raise_stmt    : 'raise' ( test ( 'from' test )? )? ;

import_stmt
  : import_name
  | import_from
  ;

import_name
  : 'import' dotted_as_names
  ;

import_from
  : 'from' ( ( '.' | '...' )* dotted_name | ( '.' | '...' )+ )
    'import' ( '*' | '(' import_as_names ')' | import_as_names )
  ;

import_as_name   : name ( 'as' name )? ;
dotted_as_name   : dotted_name ( 'as' name )? ;
import_as_names  : import_as_name ( ',' import_as_name )* ','? ;
dotted_as_names  : dotted_as_name ( ',' dotted_as_name )* ;
dotted_name      : name ( '.' name )* ;

global_stmt   : 'global' name ( ',' name )* ;
nonlocal_stmt : 'nonlocal' name ( ',' name )* ;
assert_stmt   : 'assert' test ( ',' test )? ;

compound_stmt
  : if_stmt
  | while_stmt
  | for_stmt
  | try_stmt
  | with_stmt
  | funcdef
  | classdef
  | decorated
  | async_stmt
  | match_stmt
  ;

async_stmt
  : ASYNC ( funcdef | with_stmt | for_stmt )
  ;

if_stmt
  : 'if' namedexpr_test ':' block
    ( 'elif' namedexpr_test ':' block )*
    ( 'else' ':' block )?
  ;

while_stmt
  : 'while' namedexpr_test ':' block ( 'else' ':' block )?
  ;

for_stmt
  : 'for' exprlist 'in' testlist_star_expr ':' block ( 'else' ':' block )?
  ;

try_stmt
  : 'try' ':' block
    ( ( except_clause ':' block )+
      ( 'else' ':' block )?
      ( 'finally' ':' block )?
    | 'finally' ':' block
    )
  ;

except_clause
  : 'except' '*'? ( test ( 'as' name )? )?
  ;

with_stmt
  : 'with' ( '(' with_item ( ',' with_item )* ','? ')'
           | with_item ( ',' with_item )* ) ':' block
  ;

with_item
  : test ( 'as' expr )?
  ;

block
  : simple_stmts
  | NEWLINE INDENT stmt+ DEDENT
  ;

classdef
  : 'class' name ( '(' arglist? ')' )? ':' block
  ;

// ---- match (soft keywords) ------------------------------------------------
match_stmt
  : MATCH subject_expr ':' NEWLINE INDENT case_block+ DEDENT
  ;

subject_expr
  : ( star_expr | namedexpr_test ) ( ',' ( star_expr | namedexpr_test ) )* ','?
  ;

case_block
  : CASE patterns ( 'if' namedexpr_test )? ':' block
  ;

patterns
  : maybe_star_pattern ( ',' maybe_star_pattern )* ','?
  ;

maybe_star_pattern
  : '*' name
  | pattern
  ;

pattern
  : or_pattern ( 'as' name )?
  ;

or_pattern
  : closed_pattern ( '|' closed_pattern )*
  ;

closed_pattern
  : literal_pattern
  | name_or_attr ( '(' ( pattern_arg ( ',' pattern_arg )* ','? )? ')' )?
  | '(' patterns? ')'
  | '[' patterns? ']'
  | '{' ( mapping_item ( ',' mapping_item )* ','? )? '}'
  ;

literal_pattern
  : '-'? number ( ( '+' | '-' ) number )?
  | STRING+
  | 'None'
  | 'True'
  | 'False'
  ;

name_or_attr
  : name ( '.' name )*
  ;

pattern_arg
  : ( name '=' )? pattern
  ;

mapping_item
  : '**' name
  | ( literal_pattern | name_or_attr ) ':' pattern
  ;

// ---- Expressions ------------------------------------------------------------
namedexpr_test
  : test ( ':=' test )?
  ;

test
  : or_test ( 'if' or_test 'else' test )?
  | lambdef
  ;

test_nocond
  : or_test
  | lambdef_nocond
  ;

lambdef
  : 'lambda' varargslist? ':' test
  ;

lambdef_nocond
  : 'lambda' varargslist? ':' test_nocond
  ;

or_test  : and_test ( 'or' and_test )* ;
and_test : not_test ( 'and' not_test )* ;

not_test
  : 'not' not_test
  | comparison
  ;

comparison
  : expr ( comp_op expr )*
  ;

comp_op
  : '<' | '>' | '==' | '>=' | '<=' | '!=' | 'in' | 'not' 'in' | 'is' | 'is' 'not'
  ;

star_expr
  : '*' expr
  ;

expr       : xor_expr ( '|' xor_expr )* ;
xor_expr   : and_expr ( '^' and_expr )* ;
and_expr   : shift_expr ( '&' shift_expr )* ;
shift_expr : arith_expr ( ( '<<' | '>>' ) arith_expr )* ;
arith_expr : term ( ( '+' | '-' ) term )* ;
term       : factor ( ( '*' | '@' | '/' | '%' | '//' ) factor )* ;

factor
  : ( '+' | '-' | '~' ) factor
  | power
  ;

power
  : atom_expr ( '**' factor )?
  ;

atom_expr
  : AWAIT? atom trailer*
  ;

atom
  : '(' ( yield_expr | testlist_comp )? ')'   # ParenAtom
  | '[' testlist_comp? ']'                    # ListAtom
  | '{' dictorsetmaker? '}'                   # BraceAtom
  | name                                      # NameAtom
  | number                                    # NumberAtom
  | STRING+                                   # StringAtom
  | '...'                                     # EllipsisAtom
  | 'None'                                    # NoneAtom
  | 'True'                                    # TrueAtom
  | 'False'                                   # FalseAtom
  ;

name
  : NAME
  | MATCH
  | CASE
  ;

number
  : INTEGER
  | FLOAT_NUMBER
  | IMAG_NUMBER
  ;

testlist_comp
  : ( namedexpr_test | star_expr )
    ( comp_for
    | ( ',' ( namedexpr_test | star_expr ) )* ','?
    )
  ;

trailer
  : '(' arglist? ')'         # CallTrailer
  | '[' subscriptlist ']'    # SubscriptTrailer
  | '.' name                 # AttrTrailer
  ;

subscriptlist
  : subscript ( ',' subscript )* ','?
  ;

subscript
  : namedexpr_test                          # IndexSubscript
  | test? ':' test? ( ':' test? )?          # SliceSubscript
  | star_expr                               # StarSubscript
  ;

exprlist
  : ( expr | star_expr ) ( ',' ( expr | star_expr ) )* ','?
  ;

testlist
  : test ( ',' test )* ','?
  ;

dictorsetmaker
  : dict_item ( comp_for | ( ',' dict_item )* ','? )                                 # DictMaker
  | ( namedexpr_test | star_expr ) ( comp_for | ( ',' ( namedexpr_test | star_expr ) )* ','? ) # SetMaker
  ;

dict_item
  : test ':' test
  | '**' expr
  ;

arglist
  : argument ( ',' argument )* ','?
  ;

argument
  : test '=' test               # KeywordArg
  | namedexpr_test comp_for?    # PositionalArg
  | '**' test                   # DoubleStarArg
  | '*' test                    # StarArg
  ;

comp_iter
  : comp_for
  | comp_if
  ;

comp_for
  : ASYNC? 'for' exprlist 'in' or_test comp_iter?
  ;

comp_if
  : 'if' test_nocond comp_iter?
  ;

yield_expr
  : 'yield' ( 'from' test | testlist_star_expr )?
  ;
