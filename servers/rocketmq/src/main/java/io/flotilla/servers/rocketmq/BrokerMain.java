package io.flotilla.servers.rocketmq;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.BrokerStartup;
import org.apache.rocketmq.broker.controller.ReplicasManager;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.MessageStore;
import org.apache.rocketmq.store.ha.DefaultHAService;
import org.apache.rocketmq.store.ha.HAService;
import org.apache.rocketmq.store.ha.autoswitch.AutoSwitchHAService;

/**
 * RocketMQ's broker ({@link BrokerStartup}, same arguments) with its HA listener bound to the
 * broker's own address. RocketMQ 5.3.3 binds the remoting and fast ports to {@code bindAddress}
 * (NettyServerConfig), but the HA port ({@code haListenPort}, where slaves replicate from the
 * master) to the wildcard address with no setting to change it: {@code
 * DefaultHAService.AcceptSocketService} listens on {@code new InetSocketAddress(haListenPort)}, and
 * the message store creates that listener and opens it in one step ({@code
 * DefaultMessageStore.start()}). So before the broker starts, this wrapper swaps the store's fresh,
 * not yet initialised HA service for one of the same class (classic or controller-mode AutoSwitch)
 * that, once initialised, points its listener at {@code brokerIP2:haListenPort}: the HA address the
 * broker advertises anyway.
 */
public final class BrokerMain {
  private BrokerMain() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    BrokerController controller = BrokerStartup.createBrokerController(args);
    InetSocketAddress ha =
        new InetSocketAddress(
            controller.getBrokerConfig().getBrokerIP2(),
            controller.getMessageStoreConfig().getHaListenPort());
    bindHaListener(controller, ha);
    BrokerStartup.start(controller);
  }

  static void bindHaListener(BrokerController controller, InetSocketAddress address)
      throws ReflectiveOperationException {
    MessageStore store = controller.getMessageStore();
    if (!(store instanceof DefaultMessageStore)) {
      throw new IllegalStateException("cannot bind the HA listener of " + store.getClass());
    }
    HAService current = store.getHaService();
    HAService bound;
    if (current instanceof AutoSwitchHAService) {
      bound = new BoundAutoSwitchHAService(address);
    } else if (current != null && current.getClass() == DefaultHAService.class) {
      bound = new BoundDefaultHAService(address);
    } else {
      throw new IllegalStateException(
          "cannot bind the HA listener of " + (current == null ? "no HA service" : current));
    }
    set(DefaultMessageStore.class, store, "haService", bound);
    ReplicasManager replicas = controller.getReplicasManager();
    if (replicas != null) {
      set(ReplicasManager.class, replicas, "haService", bound);
    }
  }

  private static void set(Class<?> type, Object target, String field, Object value)
      throws ReflectiveOperationException {
    Field f = type.getDeclaredField(field);
    f.setAccessible(true);
    f.set(target, value);
  }

  /** Points an initialised HA service's listener at an address, before it opens. */
  static void listenOn(DefaultHAService service, InetSocketAddress address) throws IOException {
    try {
      Field accept = DefaultHAService.class.getDeclaredField("acceptSocketService");
      accept.setAccessible(true);
      Object listener = accept.get(service);
      for (Class<?> c = listener.getClass(); c != null; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (f.getName().equals("socketAddressListen")) {
            f.setAccessible(true);
            f.set(listener, address);
            return;
          }
        }
      }
      throw new IOException("no listen address in " + listener.getClass());
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot bind the HA listener to " + address, e);
    }
  }

  /** The classic HA service (master and slaves by configuration), listening on one address. */
  static final class BoundDefaultHAService extends DefaultHAService {
    private final InetSocketAddress address;

    BoundDefaultHAService(InetSocketAddress address) {
      this.address = address;
    }

    @Override
    public void init(DefaultMessageStore store) throws IOException {
      super.init(store);
      listenOn(this, address);
    }
  }

  /** The controller mode's HA service, listening on one address. */
  static final class BoundAutoSwitchHAService extends AutoSwitchHAService {
    private final InetSocketAddress address;

    BoundAutoSwitchHAService(InetSocketAddress address) {
      this.address = address;
    }

    @Override
    public void init(DefaultMessageStore store) throws IOException {
      super.init(store);
      listenOn(this, address);
    }
  }
}
