// The rows of a cursor as plain values, a batch at a time: SPI_tuptable is copied out (by the
// reader, inside the store) before another cursor is read, so several streams can be merged in
// one walk without holding a large result in memory. Made by the store's *_stream functions.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "pg/boundary/boundary.hpp"

namespace pg_actions::pg::store {

template <typename Row>
class RowStream {
public:
    RowStream(Portal portal, std::function<Row(std::uint64_t)> read) : portal_(portal), read_(std::move(read)) {}
    // The next row, or nullptr at the end.
    const Row* peek() {
        if (next_ == batch_.size() && !done_) fill();
        return next_ < batch_.size() ? &batch_[next_] : nullptr;
    }
    void pop() { ++next_; }
    void close() {
        if (portal_) guard([&] { SPI_cursor_close(portal_); });
        portal_ = nullptr;
    }

private:
    void fill() {
        batch_.clear();
        next_ = 0;
        std::uint64_t n = guard([&]() -> std::uint64_t {
            SPI_cursor_fetch(portal_, true, 1000);
            return SPI_processed;
        });
        for (std::uint64_t i = 0; i < n; i++) batch_.push_back(read_(i));
        guard([] { SPI_freetuptable(SPI_tuptable); });
        if (n == 0) done_ = true;
    }
    Portal portal_;
    std::function<Row(std::uint64_t)> read_;
    std::vector<Row> batch_;
    std::size_t next_ = 0;
    bool done_ = false;
};

}  // namespace pg_actions::pg::store
