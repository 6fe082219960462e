"""The PyTorch side of the benchmark: a long-lived worker driven by run.mjs over stdin/stdout (one JSON object
per line), building the same networks as models.mjs (torchvision layout, kaiming_normal_ fan_out convs, default
nn.Linear, option-A shortcuts for resnet20, 1x1 conv + BN projections for resnet18, CIFAR stem).

  {"cmd":"bench","model":"resnet20","mode":"train"|"eval","steps":N,"warmup":W,"batch":B}
  -> {"ok":true,"msPerStep":[...]}

Thread counts come from the environment: DP_TORCH_THREADS (torch.set_num_threads, intra-op) and
DP_TORCH_INTEROP_THREADS (torch.set_num_interop_threads). Benchmark-only: never a dependency of any package.
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("DP_TORCH_THREADS", "2")))
torch.set_num_interop_threads(int(os.environ.get("DP_TORCH_INTEROP_THREADS", "1")))


class ShortcutA(nn.Module):
    def __init__(self, stride, out_channels):
        super().__init__()
        self.stride, self.out_channels = stride, out_channels

    def forward(self, x):
        x = x[:, :, :: self.stride, :: self.stride]
        extra = self.out_channels - x.shape[1]
        before = extra // 2
        return F.pad(x, (0, 0, 0, 0, before, extra - before))


class Block(nn.Module):
    def __init__(self, in_c, planes, stride, shortcut):
        super().__init__()
        self.conv1 = nn.Conv2d(in_c, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Identity()
        if stride != 1 or in_c != planes:
            self.shortcut = (
                ShortcutA(stride, planes)
                if shortcut == "A"
                else nn.Sequential(nn.Conv2d(in_c, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
            )

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, stem, widths, blocks, shortcut, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, stem, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)
        layers, in_c = [], stem
        for i, w in enumerate(widths):
            for b in range(blocks):
                layers.append(Block(in_c, w, 2 if (b == 0 and i > 0) else 1, shortcut))
                in_c = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(in_c, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layers(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def build(name):
    torch.manual_seed(1)
    if name == "resnet20":
        return ResNet(16, [16, 32, 64], 3, "A")
    if name == "resnet18":
        return ResNet(64, [64, 128, 256, 512], 2, "B")
    raise ValueError(f"unknown model {name}: expected resnet20 or resnet18")


cache = {}


def setup(model, batch):
    key = (model, batch)
    if key not in cache:
        net = build(model)
        g = torch.Generator().manual_seed(7)
        x = torch.randn(batch, 3, 32, 32, generator=g)
        y = torch.tensor([(i * 7919) % 10 for i in range(batch)])
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True)
        cache[key] = (net, x, y, opt)
    return cache[key]


def train_step(net, x, y, opt):
    net.train()
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    loss.item()


def eval_step(net, x, y, opt):
    net.eval()
    with torch.no_grad():
        net(x).sum().item()


def bench(msg):
    s = setup(msg["model"], msg["batch"])
    step = train_step if msg["mode"] == "train" else eval_step
    for _ in range(msg["warmup"]):
        step(*s)
    ms = []
    for _ in range(msg["steps"]):
        t = time.perf_counter()
        step(*s)
        ms.append((time.perf_counter() - t) * 1000)
    return {"msPerStep": ms}


def profile(model, mode, steps, batch, top):
    """Per-op CPU time of a few steps (torch.profiler), to compare with profile.mjs."""
    s = setup(model, batch)
    step = train_step if mode == "train" else eval_step
    for _ in range(2):
        step(*s)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step(*s)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=top))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--profile":
        # python torch_bench.py --profile resnet20 train [steps] [top]
        args = sys.argv[2:]
        profile(args[0] if args else "resnet20", args[1] if len(args) > 1 else "train",
                int(args[2]) if len(args) > 2 else 3, 128, int(args[3]) if len(args) > 3 else 15)
        return
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "interop": torch.get_num_interop_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        if msg.get("cmd") == "quit":
            break
        try:
            print(json.dumps({"ok": True, **bench(msg)}), flush=True)
        except Exception as e:  # report and keep serving
            print(json.dumps({"ok": False, "error": repr(e)}), flush=True)


if __name__ == "__main__":
    main()
