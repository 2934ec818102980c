// The seal of a result file (results/file_seal.h): sealed files verify, every flipped byte,
// cut or added byte is refused naming the file and its length, files without our userblock are
// told apart, and an image built in memory (HDF5's core driver) is sealed like a file on disk.
#include "results/file_seal.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "results/h5_util.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::TempDir;
using test::write_text;

std::vector<char> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// a small HDF5 file with a variable-length string attribute and a dataset; `userblock` reserves the seal's room
void write_hdf5(const std::string& path, bool userblock) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  h5::Handle fcpl = userblock ? h5::sealed_file_creation() : h5::Handle(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  h5::Handle f(h5::check_id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), "create"), H5Fclose);
  h5::attr_string(f.get(), "title", "a title long enough to live in the global heap");
  const std::vector<double> v = {1, 2, 3, 4, 5, 6};
  h5::write_dataset(f.get(), "values", {2, 3}, v.data());
  f.close("close");
}

// the message of the ResultFileError `f` throws; a test failure when it throws none
template <class F>
std::string refusal(F f) {
  try {
    f();
  } catch (const ResultFileError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ResultFileError";
  return "";
}

TEST(FileSeal, ASealedFileVerifiesAndStillOpens) {
  TempDir dir;
  const std::string path = dir.file("a.h5");
  write_hdf5(path, true);
  EXPECT_EQ(verify_seal(path), SealState::never_sealed);  // room reserved, not sealed yet
  seal_file(path);
  EXPECT_EQ(verify_seal(path), SealState::sealed);
  const std::vector<char> bytes = read_all(path);
  EXPECT_EQ(std::string(bytes.data(), 14), "lokalmat-seal\n");
  EXPECT_NE(std::string(bytes.data(), 80).find("bytes " + std::string(20 - std::to_string(bytes.size()).size(), '0') +
                                               std::to_string(bytes.size())),
            std::string::npos);
  // HDF5 skips the userblock
  h5::Handle f = h5::open_file_read(path);
  EXPECT_EQ(h5::read_attr_string(f.get(), "title"), "a title long enough to live in the global heap");
  EXPECT_EQ(h5::read_dataset<double>(f.get(), "values", {2, 3}), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(FileSeal, EveryFlippedByteIsRefusedWithTheFileAndItsLength) {
  TempDir dir;
  const std::string path = dir.file("a.h5"), bad = dir.file("bad.h5");
  write_hdf5(path, true);
  seal_file(path);
  const std::vector<char> good = read_all(path);
  // every byte of the seal and the superblock, then every fifth
  for (std::size_t at = 0; at < good.size(); at += at < 640 ? 1 : 5) {
    std::vector<char> b = good;
    b[at] = static_cast<char>(b[at] ^ 0x01);
    write_all(bad, b);
    const std::string msg = refusal([&] { verify_seal(bad); });
    ASSERT_NE(msg.find(bad + ": damaged or changed after lokalmat wrote it"), std::string::npos) << at << ": " << msg;
    ASSERT_NE(msg.find(std::to_string(good.size())), std::string::npos) << at << ": " << msg;
  }
}

TEST(FileSeal, ACutOrLongerFileIsRefusedWithBothLengths) {
  TempDir dir;
  const std::string path = dir.file("a.h5"), bad = dir.file("bad.h5");
  write_hdf5(path, true);
  seal_file(path);
  std::vector<char> b = read_all(path);
  const std::string n = std::to_string(b.size());
  b.push_back('\0');
  write_all(bad, b);
  EXPECT_NE(refusal([&] { verify_seal(bad); }).find(std::to_string(b.size()) + " bytes, sealed as " + n + " bytes"),
            std::string::npos);
  b.resize(b.size() / 2);
  write_all(bad, b);
  EXPECT_NE(refusal([&] { verify_seal(bad); }).find("sealed as " + n + " bytes"), std::string::npos);
  // a file cut inside its seal
  b.resize(100);
  write_all(bad, b);
  EXPECT_NE(refusal([&] { verify_seal(bad); }).find("not an HDF5 file"), std::string::npos);
}

TEST(FileSeal, FilesWithoutOurSealAreToldApart) {
  TempDir dir;
  // HDF5 at byte 0: an older lokalmat file, or one made by another program
  const std::string plain = dir.file("plain.h5");
  write_hdf5(plain, false);
  EXPECT_EQ(verify_seal(plain), SealState::unsealed);
  EXPECT_THROW(seal_file(plain), std::runtime_error);  // no room for a seal
  // another program's userblock
  const std::string other = dir.file("other.h5");
  write_hdf5(other, true);
  std::vector<char> b = read_all(other);
  std::copy_n("my own userblock", 16, b.begin());
  write_all(other, b);
  EXPECT_NE(refusal([&] { verify_seal(other); }).find("the seal in the first 512 of its " + std::to_string(b.size()) +
                                                      " bytes is broken"),
            std::string::npos);
  // not HDF5 at all, or empty
  const std::string text = dir.file("text.h5");
  write_text(text, "[run]\nyears = 2\n");
  EXPECT_NE(refusal([&] { verify_seal(text); }).find(text + ": not an HDF5 file"), std::string::npos);
  const std::string empty = dir.file("empty.h5");
  write_text(empty, "");
  EXPECT_NE(refusal([&] { verify_seal(empty); }).find("not an HDF5 file"), std::string::npos);
  EXPECT_THROW(verify_seal(dir.file("missing.h5")), std::runtime_error);
}

TEST(FileSeal, AnImageBuiltInMemoryIsSealedLikeAFile) {
  // HDF5's core driver, without a backing file
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  ASSERT_GE(H5Pset_fapl_core(fapl.get(), 1 << 16, 0), 0);
  h5::Handle f(h5::check_id(H5Fcreate("in-memory.h5", H5F_ACC_TRUNC, h5::sealed_file_creation().get(), fapl.get()),
                            "create"),
               H5Fclose);
  h5::attr_string(f.get(), "title", "in memory");
  ASSERT_GE(H5Fflush(f.get(), H5F_SCOPE_GLOBAL), 0);
  const ssize_t n = H5Fget_file_image(f.get(), nullptr, 0);
  ASSERT_GT(n, 0);
  std::vector<std::byte> image(static_cast<std::size_t>(n));
  ASSERT_EQ(H5Fget_file_image(f.get(), image.data(), image.size()), n);
  f.reset();
  // HDF5 1.10 leaves the userblock out of the image: its superblock is at byte 0
  EXPECT_EQ(std::memcmp(image.data(), "\x89HDF\r\n\x1a\n", 8), 0);
  const std::vector<std::byte> sealed = sealed_file_bytes(image);
  ASSERT_EQ(sealed.size(), kSealBytes + image.size());
  TempDir dir;
  const std::string path = dir.file("image.h5");
  std::vector<char> bytes(sealed.size());
  std::memcpy(bytes.data(), sealed.data(), sealed.size());
  write_all(path, bytes);
  EXPECT_EQ(verify_seal(path), SealState::sealed);
  h5::Handle back = h5::open_file_read(path);
  EXPECT_EQ(h5::read_attr_string(back.get(), "title"), "in memory");
  // the same bytes sealed again, now with the userblock in place: the same seal
  EXPECT_EQ(sealed_file_bytes(sealed), sealed);
  std::vector<std::byte> in_place = sealed;
  std::fill_n(in_place.begin(), kSealBytes, std::byte{0});
  seal_image(in_place);
  EXPECT_EQ(in_place, sealed);
  // not an HDF5 image, or one without room for the seal
  std::vector<std::byte> junk(100);
  EXPECT_THROW(sealed_file_bytes(junk), std::invalid_argument);
  EXPECT_THROW(seal_image(image), std::invalid_argument);
}

}  // namespace
}  // namespace lokalmat
