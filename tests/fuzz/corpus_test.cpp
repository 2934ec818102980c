// The fuzz corpus as regression tests: every file in tests/fuzz/corpus/<kind>/ is read
// through the entry point its fuzz target uses (reader_inputs.h), in the normal build.
//
//   FuzzCorpus     every file not named issue-*: it loads, or it is refused with a
//                  ScenarioError whose message starts "FILE:LINE: " naming a file that
//                  exists; never another exception (a crash ends the test)
//   IssueFindings  the reproducers of the findings of the bad-input review (issue-*):
//                  each must be refused, located the same way, and the message must
//                  name what the file's "# refused naming:" line says
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "tests/fuzz/reader_inputs.h"

namespace lokalmat::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(LOKALMAT_SOURCE_DIR) / "tests" / "fuzz" / "corpus";
const fs::path kScenarios = fs::path(LOKALMAT_SOURCE_DIR) / "scenarios";

struct CorpusFile {
  InputKind kind;
  fs::path path;
};

// in test names and failure messages: the file
void PrintTo(const CorpusFile& f, std::ostream* os) { *os << f.path.string(); }

bool is_issue_finding(const fs::path& p) { return p.filename().string().starts_with("issue-"); }

std::vector<CorpusFile> corpus_files(bool issue_findings) {
  std::vector<CorpusFile> out;
  for (InputKind kind : {InputKind::scenario, InputKind::sweep, InputKind::interventions}) {
    const fs::path dir = kCorpus / kind_name(kind);
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && is_issue_finding(e.path()) == issue_findings) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) out.push_back({kind, std::move(f)});
  }
  return out;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// the text after "# refused naming: " in the file, if any
std::optional<std::string> refused_naming(const std::string& text) {
  static const std::regex line("(^|\n)# refused naming: ([^\n]*)");
  std::smatch m;
  if (!std::regex_search(text, m, line)) return std::nullopt;
  return m[2].str();
}

// "FILE:LINE: ..." where FILE exists: "" when the message is so located, else what is wrong
std::string location_problem(const std::string& message) {
  static const std::regex located("^([^\n]*?):([0-9]+):");
  std::smatch m;
  if (!std::regex_search(message, m, located)) return "no FILE:LINE: in: " + message;
  if (!fs::is_regular_file(m[1].str())) return "names no file: " + message;
  if (std::stol(m[2].str()) < 1) return "names no line: " + message;
  return "";
}

struct Outcome {
  std::optional<std::string> error;  // the ScenarioError's message; nullopt when the file loads
  std::string location_problem;      // of the message, judged while the workspace's files exist
};

// what reading the file ends in (any exception but a ScenarioError fails the calling test)
Outcome read_corpus_file(const CorpusFile& f) {
  Workspace ws(kScenarios);
  Outcome out;
  try {
    ws.read(f.kind, read_bytes(f.path));
  } catch (const ScenarioError& e) {
    out.error = e.what();
    out.location_problem = location_problem(*out.error);
  }
  return out;
}

std::string test_name(const testing::TestParamInfo<CorpusFile>& info) {
  std::string name = std::string(kind_name(info.param.kind)) + "_" + info.param.path.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class FuzzCorpus : public testing::TestWithParam<CorpusFile> {};

TEST_P(FuzzCorpus, LoadsOrIsRefusedWithFileAndLine) {
  const Outcome out = read_corpus_file(GetParam());
  EXPECT_EQ(out.location_problem, "");
}

class IssueFindings : public testing::TestWithParam<CorpusFile> {};

TEST_P(IssueFindings, IsRefusedWithFileAndLine) {
  const std::string text = read_bytes(GetParam().path);
  const std::optional<std::string> naming = refused_naming(text);
  ASSERT_TRUE(naming) << GetParam().path << " has no '# refused naming:' line";
  const Outcome out = read_corpus_file(GetParam());
  ASSERT_TRUE(out.error) << GetParam().path << " was accepted";
  EXPECT_EQ(out.location_problem, "");
  EXPECT_NE(out.error->find(*naming), std::string::npos) << "expected '" << *naming << "' in: " << *out.error;
}

INSTANTIATE_TEST_SUITE_P(Corpus, FuzzCorpus, testing::ValuesIn(corpus_files(false)), test_name);
INSTANTIATE_TEST_SUITE_P(Corpus, IssueFindings, testing::ValuesIn(corpus_files(true)), test_name);

// the corpus is there: a test run that found no files would pass without testing anything
TEST(FuzzCorpusFiles, EveryKindHasFilesAndIssueReproducers) {
  for (InputKind kind : {InputKind::scenario, InputKind::sweep, InputKind::interventions}) {
    int plain = 0, issue = 0;
    for (const auto& f : corpus_files(false)) plain += f.kind == kind ? 1 : 0;
    for (const auto& f : corpus_files(true)) issue += f.kind == kind ? 1 : 0;
    EXPECT_GT(plain, 0) << kind_name(kind);
    EXPECT_GT(issue, 0) << kind_name(kind);
  }
}

}  // namespace
}  // namespace lokalmat::fuzz
