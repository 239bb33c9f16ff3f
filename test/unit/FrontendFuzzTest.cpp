//===- FrontendFuzzTest.cpp - Mutated inputs never crash the parser -------===//
//
// Feeds ~2000 byte strings derived from a sample program (deletions,
// insertions of random bytes including brackets, quotes, tabs, NUL and
// 0xff, duplicated and swapped lines) through checkSourceBytes and
// parseModule, the way the driver does. Each must either parse, or fail
// with at least one diagnostic; none may crash. The generator is seeded,
// so a failure reproduces; the failing input is printed.
//
//===----------------------------------------------------------------------===//

#include "frontend/AST.h"
#include "frontend/Parser.h"
#include "ir/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <random>
#include <string>
#include <vector>

using namespace kiln;

namespace {

const char *const Sample = R"PY(# kiln export dot(float64[:], float64[:])
import numpy as np
from math import sqrt as root

@decorate
def dot(a: "float64[:]", b, /, n=3, *args, k: int = 0, **kw) -> float:
    """Sum of products."""
    s = 0.0
    for i in range(len(a)):
        if a[i] > 0 and not b[i] in (1, 2) or i is not None:
            s += a[i] * b[i] ** -2 // 3 % 4
        elif i < n <= 10:
            s -= -2**2 if k else ~k
        else:
            continue
    while s > 1e3:
        s /= 2.5j; break
    x = [v for v in a if v]; y = {1: 'a', **kw}
    z = lambda q, *r: (q, *r)
    assert s == s, f"bad {s!r}"
    t = a[1:n, ::2, ...] @ b
    u = 'str' "ing" r'\d' '\x41\n' + """multi
line""" + \
        str(0x_ff + 0o17 + 0b1 + 1_000 + 9223372036854775808)
    match u:
        case [1, *rest] | {'k': _} if rest:
            pass
        case Point(x=0):
            pass
    try:
        del t
    except* ValueError as e:
        raise RuntimeError("x") from e
    finally:
        pass
    with open(p) as f, g:
        global gl
    return s

class C(Base, metaclass=M):
    async def m(self):
        await self.x
        yield from self.y
)PY";

/// Bytes worth inserting: layout, brackets, quotes and the bad bytes.
const char Interesting[] = {'(', ')', '[', ']', '{', '}', '\'', '"', '\t',
                            ' ',  '\n', '\\', ':', '#', '*', '=', ',', '.',
                            '@', '0', 'x', 'j', '_', '\0', '\xff', '\xc3',
                            '\r', '\f', '$', '`', '!', '-'};

std::string mutate(const std::string &In, std::mt19937 &Rng) {
  std::string S = In;
  auto Pick = [&](size_t N) {
    return N ? std::uniform_int_distribution<size_t>(0, N - 1)(Rng) : 0;
  };
  unsigned Edits = 1 + Pick(4);
  for (unsigned E = 0; E < Edits; ++E) {
    switch (Pick(6)) {
    case 0: { // delete a short range
      size_t At = Pick(S.size() + 1);
      S.erase(At, std::min<size_t>(1 + Pick(8), S.size() - std::min(At, S.size())));
      break;
    }
    case 1: // insert an interesting byte
      S.insert(Pick(S.size() + 1), 1, Interesting[Pick(sizeof(Interesting))]);
      break;
    case 2: // insert a random byte
      S.insert(Pick(S.size() + 1), 1, static_cast<char>(Pick(256)));
      break;
    case 3: { // duplicate a range somewhere else
      size_t From = Pick(S.size() + 1);
      std::string Piece = S.substr(From, 1 + Pick(40));
      S.insert(Pick(S.size() + 1), Piece);
      break;
    }
    case 4: { // replace a byte with an interesting one
      if (!S.empty())
        S[Pick(S.size())] = Interesting[Pick(sizeof(Interesting))];
      break;
    }
    default: { // truncate
      S.resize(Pick(S.size() + 1));
      break;
    }
    }
  }
  return S;
}

} // namespace

TEST(FrontendFuzz, SampleParses) {
  SourceFile F("sample.py", Sample);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  DiagnosticEngine D(OS);
  ASSERT_TRUE(checkSourceBytes(F, D));
  std::unique_ptr<ast::Module> M = parseModule(F, D);
  ASSERT_TRUE(M) << OS.str();
  EXPECT_EQ(M->Exports.size(), 1u);
}

TEST(FrontendFuzz, MutatedInputsNeverCrash) {
  std::mt19937 Rng(20240611);
  unsigned Parsed = 0, Rejected = 0;
  for (unsigned I = 0; I < 2000; ++I) {
    std::string Src = mutate(Sample, Rng);
    SourceFile F("fuzz.py", Src);
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    DiagnosticEngine D(OS);
    D.setSource(&F);
    std::unique_ptr<ast::Module> M;
    if (checkSourceBytes(F, D))
      M = parseModule(F, D);
    if (M) {
      ++Parsed;
      EXPECT_EQ(D.errorCount(), 0u) << "input #" << I << ":\n" << Src;
      std::string Dump;
      llvm::raw_string_ostream DS(Dump);
      ast::dump(*M, DS);
      EXPECT_FALSE(DS.str().empty());
    } else {
      ++Rejected;
      ASSERT_GE(D.errorCount(), 1u)
          << "input #" << I << " failed silently:\n" << Src;
      // Exactly one diagnostic per failure.
      EXPECT_EQ(D.errorCount(), 1u) << "input #" << I << ":\n" << Src << "\n"
                                    << OS.str();
    }
    // The token dump must be just as robust.
    std::string Toks;
    llvm::raw_string_ostream TS(Toks);
    DiagnosticEngine TD(OS);
    dumpTokens(F, TD, TS);
  }
  // Both outcomes must be exercised for the test to mean anything.
  EXPECT_GT(Parsed, 50u);
  EXPECT_GT(Rejected, 500u);
}
