import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import request from 'supertest';
import { createServiceApp } from './libs/platform/src';
class OrderDto {
  @IsString() item!: string;
  @IsInt() @Min(1) quantity!: number;
}
@Controller('orders')
class C {
  @Post() create(@Body() b: OrderDto) {
    return b;
  }
}
@Module({ controllers: [C] })
class M {}
(async () => {
  const app = await createServiceApp(M, { service: 'x', logger: false, bodyLimitBytes: 1024 });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  console.log('ready');
  const r = await request(app.getHttpServer())
    .post('/orders')
    .set('content-type', 'application/json')
    .send(JSON.stringify({ item: 'sim', quantity: 2, admin: true }));
  console.log(r.status, r.text);
  await app.close();
})();
