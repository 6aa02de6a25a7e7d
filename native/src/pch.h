// Precompiled header for libtorchshim: ATen is the only heavy include.
#pragma once
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/autograd.h>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>
