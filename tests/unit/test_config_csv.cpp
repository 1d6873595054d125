// Tests for config/csv: quoting, comments, typed accessors and their error messages.
#include <gtest/gtest.h>

#include "engine/error.hpp"
#include "config/csv.hpp"
#include "tmp_file.hpp"

using namespace feidi;
using feidi::testing::write_tmp;

TEST(Csv, SplitsQuotedFields) {
  const auto f = split_csv_line(R"(1,"a,b","say ""hi""",)");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[1], "a,b");
  EXPECT_EQ(f[2], "say \"hi\"");
  EXPECT_EQ(f[3], "");
}

TEST(Csv, ReadsWithCommentsAndTypes) {
  const auto p = write_tmp("ok.csv", "# comment\ncode,name,x,flag\n330102,\"上城区\",1.5,1\n330105,拱墅区,2,0\n");
  const auto t = CsvTable::read(p);
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.integer(0, "code"), 330102);
  EXPECT_EQ(t.str(0, "name"), "上城区");
  EXPECT_DOUBLE_EQ(t.num(1, "x"), 2.0);
  EXPECT_TRUE(t.flag(0, "flag"));
  EXPECT_EQ(t.line(1), 4);
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
  const auto p = write_tmp("bad.csv", "a,b\n1,x\n2\n");
  try {
    CsvTable::read(p);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), p + ":3: expected 2 fields, found 1");
  }
  const auto q = write_tmp("bad2.csv", "a,b\n1,x\n");
  const auto t = CsvTable::read(q);
  try {
    t.num(0, "b");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), q + ":2: column 'b': 'x' is not a number");
  }
  try {
    t.num(0, "zzz");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), q + ":1: column 'zzz': missing column");
  }
  EXPECT_THROW(CsvTable::read(std::string(FEIDI_TEST_TMP) + "/nope.csv"), DataError);
}

// Files are read in chunks of 1 MiB: lines that run across chunk boundaries, a filter
// (`keep`), CRLF endings and a last line without '\n' read as in a small file.
bool keep_odd(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return !line.empty() && (line.back() - '0') % 2 == 1;
}

TEST(Csv, LinesAcrossChunksReadWhole) {
  std::string text = "\xEF\xBB\xBFid,pad,n\r\n";
  const std::string pad(97, 'x');  // lines of ~110 bytes: ~10,000 lines per MiB, none aligned
  const int n = 30000;
  for (int i = 0; i < n; ++i) text += std::to_string(i) + "," + pad + "," + std::to_string(i % 10) + (i + 1 < n ? "\r\n" : "");
  ASSERT_GT(text.size(), std::size_t{3} << 20);
  const auto p = write_tmp("big.csv", text);
  const auto t = CsvTable::read(p);
  ASSERT_EQ(t.rows(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; i += 997) {
    EXPECT_EQ(t.integer(static_cast<std::size_t>(i), "id"), i);
    EXPECT_EQ(t.str(static_cast<std::size_t>(i), "pad"), pad);
    EXPECT_EQ(t.line(static_cast<std::size_t>(i)), i + 2);
  }
  EXPECT_EQ(t.integer(static_cast<std::size_t>(n - 1), "n"), (n - 1) % 10);  // the last line has no '\n'
  const auto odd = CsvTable::read(p, keep_odd);
  ASSERT_EQ(odd.rows(), static_cast<std::size_t>(n / 2));
  EXPECT_EQ(odd.integer(0, "id"), 1);
  EXPECT_EQ(odd.line(0), 3);
}
