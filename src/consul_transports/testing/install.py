"""``python -m consul_transports.testing.install``: fetch a Consul binary and print its path."""

from consul_transports.testing._install import find_consul

if __name__ == "__main__":
    print(find_consul())
