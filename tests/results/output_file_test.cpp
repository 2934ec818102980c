// results/output_file.h: the rules every output file is written by, on a scratch directory.
#include "results/output_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "results/csv_export.h"

namespace lokalmat {
namespace {

namespace fs = std::filesystem;

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lokalmat-output-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directory(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string at(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void put(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }
  [[nodiscard]] std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  template <class F>
  static std::string refusal(F f) {
    try {
      f();
    } catch (const OutputRefused& e) {
      return e.what();
    }
    return "(not refused)";
  }

  fs::path dir_;
};

TEST_F(OutputFileTest, WritesANewFileWithModeFromTheUmask) {
  const mode_t old = ::umask(022);
  write_output_file(at("a.txt"), "hello", {});
  ::umask(old);
  EXPECT_EQ(read(at("a.txt")), "hello");
  struct stat st {};
  ASSERT_EQ(::stat(at("a.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644U);
  EXPECT_EQ(listing(), std::vector<std::string>{"a.txt"});  // no temporary left
}

TEST_F(OutputFileTest, RefusesAnExistingFileWithoutForceAndReplacesItWithForce) {
  put(at("a.txt"), "old");
  const std::string msg = refusal([&] { write_output_file(at("a.txt"), "new", {}); });
  EXPECT_NE(msg.find(at("a.txt")), std::string::npos) << msg;
  EXPECT_NE(msg.find("--force"), std::string::npos) << msg;
  EXPECT_EQ(read(at("a.txt")), "old");
  write_output_file(at("a.txt"), "new", {.force = true});
  EXPECT_EQ(read(at("a.txt")), "new");
  EXPECT_EQ(listing(), std::vector<std::string>{"a.txt"});
}

TEST_F(OutputFileTest, ASymlinkAtTheTargetIsReplacedNotFollowed) {
  put(at("victim"), "victim");
  fs::create_symlink(at("victim"), at("a.txt"));
  EXPECT_NE(refusal([&] { write_output_file(at("a.txt"), "new", {}); }), "(not refused)");
  write_output_file(at("a.txt"), "new", {.force = true});
  EXPECT_EQ(read(at("victim")), "victim");
  EXPECT_FALSE(fs::is_symlink(at("a.txt")));
  EXPECT_EQ(read(at("a.txt")), "new");
  // a dangling symlink exists as well
  fs::create_symlink(at("nowhere"), at("b.txt"));
  EXPECT_NE(refusal([&] { write_output_file(at("b.txt"), "new", {}); }), "(not refused)");
  EXPECT_FALSE(fs::exists(at("nowhere")));
}

TEST_F(OutputFileTest, NeverReplacesAnInputNotEvenWithForceNorUnderAnotherName) {
  put(at("in.toml"), "input");
  fs::create_hard_link(at("in.toml"), at("hard.h5"));
  fs::create_symlink(at("in.toml"), at("soft.h5"));
  const OutputRules rules{.force = true, .inputs = {at("in.toml")}};
  for (const char* name : {"in.toml", "hard.h5", "soft.h5"}) {
    const std::string msg = refusal([&] { write_output_file(at(name), "output", rules); });
    EXPECT_NE(msg.find("input"), std::string::npos) << name << ": " << msg;
  }
  EXPECT_EQ(read(at("in.toml")), "input");
  // the input named by another path
  const OutputRules relative{.force = true, .inputs = {(dir_ / "." / "in.toml").string()}};
  EXPECT_NE(refusal([&] { write_output_file(at("in.toml"), "x", relative); }), "(not refused)");
}

TEST_F(OutputFileTest, ANamedOutputsDirectoryMustExist) {
  const std::string msg = refusal([&] { write_output_file(at("missing/deeper/a.txt"), "x", {.force = true}); });
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(at("missing")));
  // a default output creates its one directory, not a tree
  write_output_file(at("out/a.txt"), "x", {.create_directory = true});
  EXPECT_EQ(read(at("out/a.txt")), "x");
  EXPECT_NE(refusal([&] { write_output_file(at("no/out/a.txt"), "x", {.create_directory = true}); }), "(not refused)");
  // a file where the directory should be
  put(at("file"), "f");
  EXPECT_NE(refusal([&] { write_output_file(at("file/a.txt"), "x", {}); }), "(not refused)");
}

TEST_F(OutputFileTest, RefusesEmptyNamesAndDirectories) {
  EXPECT_NE(refusal([&] { write_output_file("", "x", {}); }).find("empty"), std::string::npos);
  EXPECT_NE(refusal([&] { write_output_file(dir_.string(), "x", {.force = true}); }), "(not refused)");
  EXPECT_NE(refusal([&] { write_output_file(dir_.string() + "/", "x", {.force = true}); }), "(not refused)");
  EXPECT_NE(refusal([&] { write_output_file(at(std::string(256, 'n')), "x", {}); }).find("255"), std::string::npos);
  // a device is not replaced, not even with force
  EXPECT_NE(refusal([&] { write_output_file("/dev/null", "x", {.force = true}); }).find("not a regular file"),
            std::string::npos);
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(OutputFileTest, AnUncommittedFileLeavesNothing) {
  {
    OutputFile f(at("a.txt"), {});
    f.write(std::string(3 << 20, 'x'));
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(OutputFileTest, AFileThatAppearsMeanwhileIsNotReplacedWithoutForce) {
  OutputFile f(at("a.txt"), {});
  f.write("mine");
  put(at("a.txt"), "theirs");
  EXPECT_NE(refusal([&] { f.commit(); }), "(not refused)");
  EXPECT_EQ(read(at("a.txt")), "theirs");
  EXPECT_EQ(listing(), std::vector<std::string>{"a.txt"});
}

TEST_F(OutputFileTest, AFailedWriteNamesTheTargetAndLeavesNothing) {
  // a full disk without root: the file size limit makes write() fail with EFBIG
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* const old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string msg;
  bool refused = false;
  try {
    write_output_file(at("big.h5"), std::string(1 << 20, 'x'), {});
  } catch (const OutputRefused& e) {
    refused = true;
  } catch (const std::runtime_error& e) {
    msg = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(refused);
  EXPECT_NE(msg.find(at("big.h5")), std::string::npos) << msg;
  EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
  EXPECT_TRUE(listing().empty());
}

TEST_F(OutputFileTest, TheFileCanBeKeptOpenAfterItsCommit) {
  OutputFile f(at("journal"), {});
  f.write("head");
  f.commit();
  const int fd = f.release_fd();
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "+tail", 5), 5);
  ::close(fd);
  EXPECT_EQ(read(at("journal")), "head+tail");
}

TEST(CsvText, DefusesFormulasAndQuotesWhatNeedsIt) {
  EXPECT_EQ(csv_text("Horten"), "Horten");
  EXPECT_EQ(csv_text(""), "");
  EXPECT_EQ(csv_text("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_text("=1+2"), "\"'=1+2\"");
  EXPECT_EQ(csv_text("+47"), "\"'+47\"");
  EXPECT_EQ(csv_text("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(csv_text("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(csv_text("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv_text("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_text("=HYPERLINK(\"u\";\"t\")"), "\"'=HYPERLINK(\"\"u\"\";\"\"t\"\")\"");
  EXPECT_EQ(csv_text("a=b"), "a=b");  // only the first character matters
}

}  // namespace
}  // namespace lokalmat
