// The seal of a result file (results/file_seal.h): written into the reserved userblock of a
// complete file, verified before HDF5 opens one.
#include "results/file_seal.h"

#include <fmt/format.h>
#include <lzma.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

namespace lokalmat {

namespace {

constexpr std::string_view kMagic = "lokalmat-seal\n";
constexpr std::string_view kHdf5Signature = "\x89HDF\r\n\x1a\n";
using Block = std::array<char, kSealBytes>;

// the seal of a file of `length` bytes whose bytes [512, end) have this CRC-64
Block seal_block(std::uint64_t length, std::uint64_t crc) {
  Block b{};
  const std::string text = fmt::format("{}version 1\nbytes {:020}\ncrc64-xz {:016x}\n", kMagic, length, crc);
  std::copy(text.begin(), text.end(), b.begin());
  return b;
}

bool has_signature_at(std::span<const char> bytes, std::size_t offset) {
  return bytes.size() >= offset + kHdf5Signature.size() &&
         std::string_view(bytes.data() + offset, kHdf5Signature.size()) == kHdf5Signature;
}

// a file closed on every way out
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open(const std::string& path, const char* mode) {
  File f(std::fopen(path.c_str(), mode));
  if (!f) throw std::runtime_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  return f;
}

// the CRC-64 and count of the bytes from the file's current position to its end
std::pair<std::uint64_t, std::uint64_t> crc_to_end(std::FILE* f, const std::string& path) {
  constexpr std::size_t kChunk = 256 << 10;
  const std::unique_ptr<std::uint8_t[]> buf(new std::uint8_t[kChunk]);  // not zeroed: fread fills it
  std::uint64_t crc = 0, n = 0;
  for (;;) {
    const std::size_t got = std::fread(buf.get(), 1, kChunk, f);
    crc = lzma_crc64(buf.get(), got, crc);
    n += got;
    if (got < kChunk) break;
  }
  if (std::ferror(f)) throw std::runtime_error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  return {crc, n};
}

// the stored length of a seal whose magic and version match, for the message; -1 when unreadable
long long sealed_length(const Block& stored) {
  const Block probe = seal_block(0, 0);
  constexpr std::size_t at = kMagic.size() + std::string_view("version 1\nbytes ").size();
  if (!std::equal(probe.begin(), probe.begin() + at, stored.begin())) return -1;
  long long v = 0;
  for (std::size_t i = at; i < at + 20; ++i) {
    if (stored[i] < '0' || stored[i] > '9') return -1;
    const int digit = stored[i] - '0';
    if (v > (std::numeric_limits<long long>::max() - digit) / 10) return -1;  // a flipped digit past any file size
    v = v * 10 + digit;
  }
  return v;
}

}  // namespace

void seal_image(std::span<std::byte> image) {
  const std::span<const char> chars(reinterpret_cast<const char*>(image.data()), image.size());
  if (!has_signature_at(chars, kSealBytes))
    throw std::invalid_argument("seal: the image has no 512-byte userblock before its HDF5 superblock");
  const auto* body = reinterpret_cast<const std::uint8_t*>(image.data()) + kSealBytes;
  const Block b = seal_block(image.size(), lzma_crc64(body, image.size() - kSealBytes, 0));
  std::memcpy(image.data(), b.data(), b.size());
}

std::vector<std::byte> sealed_file_bytes(std::span<const std::byte> hdf5_image) {
  const std::span<const char> chars(reinterpret_cast<const char*>(hdf5_image.data()), hdf5_image.size());
  std::vector<std::byte> file;
  if (has_signature_at(chars, kSealBytes)) {
    file.assign(hdf5_image.begin(), hdf5_image.end());
  } else if (has_signature_at(chars, 0)) {
    file.resize(kSealBytes + hdf5_image.size());
    std::copy(hdf5_image.begin(), hdf5_image.end(), file.begin() + static_cast<std::ptrdiff_t>(kSealBytes));
  } else {
    throw std::invalid_argument("seal: not an HDF5 file image");
  }
  seal_image(file);
  return file;
}

void seal_file(const std::string& path) {
  const File f = open(path, "r+b");
  Block head{};
  const std::size_t got = std::fread(head.data(), 1, head.size(), f.get());
  std::array<char, kHdf5Signature.size()> sig{};
  if (got != head.size() || std::fread(sig.data(), 1, sig.size(), f.get()) != sig.size() ||
      !has_signature_at(sig, 0))
    throw std::runtime_error(fmt::format("cannot seal '{}': no 512-byte userblock before its HDF5 superblock", path));
  if (std::fseek(f.get(), static_cast<long>(kSealBytes), SEEK_SET) != 0)
    throw std::runtime_error(fmt::format("cannot seal '{}': {}", path, std::strerror(errno)));
  const auto [crc, body] = crc_to_end(f.get(), path);
  const Block b = seal_block(kSealBytes + body, crc);
  if (std::fseek(f.get(), 0, SEEK_SET) != 0 || std::fwrite(b.data(), 1, b.size(), f.get()) != b.size() ||
      std::fflush(f.get()) != 0)
    throw std::runtime_error(fmt::format("cannot seal '{}': {}", path, std::strerror(errno)));
}

void rethrow_naming(const std::string& path) {
  const std::string prefix = path + ": ";
  auto named = [&](const std::exception& e) {
    const std::string what = e.what();
    return what.starts_with(prefix) ? what : prefix + what;
  };
  try {
    throw;
  } catch (const ResultFileError& e) {
    throw ResultFileError(named(e));
  } catch (const std::exception& e) {
    throw std::runtime_error(named(e));
  }
}

SealState verify_seal(const std::string& path) {
  const File f = open(path, "rb");
  Block head{};
  const std::size_t got = std::fread(head.data(), 1, head.size(), f.get());
  if (std::ferror(f.get())) throw std::runtime_error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  const std::span<const char> first(head.data(), got);
  if (has_signature_at(first, 0)) return SealState::unsealed;
  if (got == head.size() && std::string_view(head.data(), kMagic.size()) == kMagic) {
    const auto [crc, body] = crc_to_end(f.get(), path);
    const std::uint64_t length = kSealBytes + body;
    if (seal_block(length, crc) == head) return SealState::sealed;
    const long long sealed = sealed_length(head);
    throw ResultFileError(
        sealed >= 0 && static_cast<std::uint64_t>(sealed) != length
            ? fmt::format("{}: damaged or changed after lokalmat wrote it: {} bytes, sealed as {} bytes", path, length,
                          sealed)
            : fmt::format("{}: damaged or changed after lokalmat wrote it: the checksum of its {} bytes does not "
                          "match its seal",
                          path, length));
  }
  std::array<char, kHdf5Signature.size()> sig{};
  const std::size_t more = std::fread(sig.data(), 1, sig.size(), f.get());
  if (got == head.size() && has_signature_at(std::span<const char>(sig.data(), more), 0)) {
    if (std::all_of(head.begin(), head.end(), [](char c) { return c == 0; })) return SealState::never_sealed;
    std::error_code ec;
    const auto length = std::filesystem::file_size(path, ec);
    throw ResultFileError(fmt::format("{}: damaged or changed after lokalmat wrote it: the seal in the first {} of "
                                      "its {} bytes is broken",
                                      path, kSealBytes, ec ? 0 : length));
  }
  throw ResultFileError(fmt::format("{}: not an HDF5 file (no HDF5 signature at byte 0 or {})", path, kSealBytes));
}

}  // namespace lokalmat
