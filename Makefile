# kehu — the two commands of README.md, and a few conveniences.
.PHONY: run check test build asan bench format clean

run:            ## build, set up data/kehu.db with demo data, serve on 127.0.0.1:8080
	scripts/run.sh

check test:     ## build (also under ASan/UBSan) and run the whole test suite
	scripts/test.sh

build:
	scripts/deps.sh test
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j$$(nproc)

asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKEHU_SANITIZE=ON >/dev/null
	cmake --build build-asan -j$$(nproc)

bench:          ## the benchmarks of bench/README.md (long: loads 1,000,000 customers)
	bench/run.sh

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c')

clean:
	rm -rf build build-asan
